import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { JobRunner } from './job-runner'
import type { JobEvent } from '../../shared/models/job'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { REPO_ROOT } from '../../test-support/shared'
import { writeTinyProduct } from '../../test-support/tiny-model'
import { sleepRequest } from '../../test-support/sleep-worker'

const runner = () => new JobRunner({ workerScript: join(REPO_ROOT, 'src/test-support/sleep-worker.ts'), progressIntervalMs: 100 })
let r: JobRunner | null = null
afterEach(async () => {
  await r?.dispose()
  r = null
})

function until(runner: JobRunner, id: string, states: string[]): Promise<JobEvent[]> {
  const events: JobEvent[] = []
  return new Promise((resolve) => {
    runner.on((e) => {
      if (e.jobId !== id) return
      events.push(e)
      if (e.type === 'state' && states.includes(e.state)) resolve(events)
    })
  })
}

describe('job runner (worker thread)', () => {
  it('runs a job in a worker, throttles progress to about 10/s and ends with the result', async () => {
    r = runner()
    const job = r.submit(sleepRequest(40, 10))
    const events = await until(r, job.id, ['succeeded', 'failed'])
    const progress = events.filter((e) => e.type === 'progress')
    expect(events.at(-1)).toMatchObject({ type: 'state', state: 'succeeded', result: { slept: 40 } })
    // 40 steps over ~0.5 s arrive as a handful of events, the last one at 40/40.
    expect(progress.length).toBeLessThan(12)
    expect(progress.at(-1)).toMatchObject({ progress: { done: 40 } })
  })

  it('queues jobs one at a time and cancels running and queued ones', async () => {
    r = runner()
    const a = r.submit(sleepRequest(100, 20))
    const b = r.submit(sleepRequest(1, 1))
    expect(r.get(b.id)!.state).toBe('queued')
    expect(r.cancel(b.id)).toBe(true)
    expect(r.get(b.id)!.state).toBe('cancelled')
    await new Promise((res) => setTimeout(res, 300))
    expect(r.get(a.id)!.state).toBe('running')
    const done = until(r, a.id, ['cancelled', 'failed', 'succeeded'])
    r.cancel(a.id)
    expect((await done).at(-1)).toMatchObject({ state: 'cancelled' })
    expect(r.cancel(a.id)).toBe(false)
  })

  it('reports engine errors as failed jobs with the engine message', async () => {
    r = runner()
    const job = r.submit({ kind: 'dataset-check', dir: '/no/such/place' })
    const events = await until(r, job.id, ['succeeded', 'failed'])
    expect(events.at(-1)).toMatchObject({ state: 'failed', error: { code: 'not-found', message: expect.stringContaining('/no/such/place is not a folder') } })
    const ok = r.submit({ kind: 'dataset-check', dir: await writeTinyProduct(mkdtempSync(join(tmpdir(), 'pbas-jobs-'))) })
    const evs = await until(r, ok.id, ['succeeded', 'failed'])
    expect(evs.at(-1)).toMatchObject({ state: 'succeeded', kind: 'dataset-check', result: { trainGood: 12, testGood: 4, testDefect: 6 } })
  })
})
