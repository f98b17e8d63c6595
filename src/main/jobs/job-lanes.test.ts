import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { JobRunner } from './job-runner'
import { JobLanes } from './job-lanes'
import type { JobEvent } from '../../shared/models/job'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { REPO_ROOT } from '../../test-support/shared'
import { writeTinyProduct } from '../../test-support/tiny-model'
import { sleepRequest } from '../../test-support/sleep-worker'

const runner = () => new JobRunner({ workerScript: join(REPO_ROOT, 'src/test-support/sleep-worker.ts') })
let lanes: JobLanes | null = null
afterEach(async () => {
  await lanes?.dispose()
  lanes = null
})

describe('job lanes', () => {
  it('runs a job of another lane while the default lane is busy; events, get and cancel span both', async () => {
    lanes = new JobLanes(runner(), [{ runner: runner(), kinds: ['dataset-check'] }])
    const events: JobEvent[] = []
    lanes.on((e) => events.push(e))
    const product = await writeTinyProduct(mkdtempSync(join(tmpdir(), 'pbas-lanes-')))
    const long = lanes.submit(sleepRequest(400, 25))
    const check = lanes.submit({ kind: 'dataset-check', dir: product })
    await expect.poll(() => lanes!.get(check.id)?.state, { timeout: 30_000 }).toBe('succeeded')
    expect(lanes.get(long.id)?.state).toBe('running') // the check did not queue behind the 10 s sleep
    expect(lanes.cancel(long.id)).toBe(true)
    await expect.poll(() => lanes!.get(long.id)?.state).toBe('cancelled')
    expect(events.some((e) => e.jobId === check.id && e.type === 'state' && e.state === 'succeeded')).toBe(true)
    expect(lanes.cancel('no-such-job')).toBe(false)
  })
})
