import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useRunsStore } from './runs'
import { installFakePbas } from '../../../test-support/fake-pbas'
import type { RunRecord } from '../../../shared/models/workspace'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import type { StepStats } from '../../../shared/models/progress'

const stats = (lossC: number): StepStats => ({ lossC, lossN: 0, lossA: 0, pTrue: 0, pFake: 0, distNormal: 0, distSynthetic: 0, distNormalSynthetic: 0 })

const run = (state: RunRecord['state']): RunRecord => ({ id: 'r1', productId: 'p1', datasetId: 'd1', state, config: {} as PbasConfig, modelDir: '/m', createdAt: 'now' })

describe('runs store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps the newest state when a state event overtakes the resume reply', async () => {
    const fake = installFakePbas({
      'runs:list': () => [run('cancelled')],
      'runs:resume': () => {
        // The worker already started the resumed run: its 'running' event arrives before this reply.
        fake.emit('runs:event', { type: 'state', runId: 'r1', run: run('running') })
        return run('queued')
      },
    })
    const store = useRunsStore()
    await store.load('p1')
    expect(store.runs[0].state).toBe('cancelled')
    await store.resume('r1')
    expect(store.runs[0].state).toBe('running')
  })

  it('records epochs and the latest step from progress events', () => {
    const store = useRunsStore()
    store.handle({ type: 'progress', runId: 'r1', progress: { kind: 'epoch', epoch: 1, epochs: 5, means: stats(1), validation: null, seconds: 2, etaSeconds: null } })
    store.handle({ type: 'progress', runId: 'r1', progress: { kind: 'epoch', epoch: 1, epochs: 5, means: stats(0.9), validation: null, seconds: 2, etaSeconds: null } })
    store.handle({ type: 'progress', runId: 'r1', progress: { kind: 'step', epoch: 2, epochs: 5, step: 1, steps: 3, etaSeconds: 9, stats: stats(1) } })
    expect(store.epochs.r1).toEqual([{ epoch: 1, means: stats(0.9), validation: null, seconds: 2 }])
    expect(store.live.r1).toMatchObject({ epoch: 2, step: 1, etaSeconds: 9 })
  })
})
