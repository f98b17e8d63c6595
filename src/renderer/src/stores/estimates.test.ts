import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useEstimatesStore } from './estimates'

describe('estimates store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('follows a measuring job to its result, cancels a stale one, and takes cached measurements at once', async () => {
    let listener: ((e: unknown) => void) | null = null
    const calls: [string, unknown][] = []
    let next = 1
    const invoke = async (channel: string, arg: unknown) => {
      calls.push([channel, arg])
      if (channel === 'runs:estimate') {
        const a = arg as { overrides: { epochs?: number; imageSize?: number } }
        return { ok: true, value: a.overrides.imageSize === 64 ? { measure: { stepSeconds: 0.5 }, jobId: null } : { measure: null, jobId: `j${next++}` } }
      }
      return { ok: true, value: true }
    }
    ;(globalThis as unknown as { window: unknown }).window = { pbas: { invoke, on: (_c: string, l: (e: unknown) => void) => ((listener = l), () => {}) }, location: { hash: '' } }
    const store = useEstimatesStore()
    await store.request('a', { datasetId: 'd', preset: 'quick', overrides: { imageSize: 256 } })
    expect(store.measuring).toMatchObject({ key: 'a', jobId: 'j1' })
    listener!({ type: 'progress', jobId: 'j1', kind: 'run-estimate', progress: { kind: 'stage', stage: 'measure', message: 'timing a training step', done: 2, total: 5 } })
    expect(store.measuring).toMatchObject({ message: 'timing a training step', done: 2 })
    // Other settings while j1 measures: j1 is cancelled, j2 measures; j1's end is then ignored.
    await store.request('b', { datasetId: 'd', preset: 'quick', overrides: { imageSize: 128 } })
    expect(calls.filter(([c]) => c === 'jobs:cancel')).toEqual([['jobs:cancel', { jobId: 'j1' }]])
    listener!({ type: 'state', jobId: 'j1', kind: 'run-estimate', state: 'cancelled' })
    expect(store.measuring).toMatchObject({ key: 'b', jobId: 'j2' })
    listener!({ type: 'state', jobId: 'j2', kind: 'run-estimate', state: 'succeeded', result: { stepSeconds: 2 } })
    expect(store.measures.b).toEqual({ stepSeconds: 2 })
    expect(store.measuring).toBeNull()
    // Asking again for known settings costs nothing; cached ones arrive in the reply.
    const n = calls.length
    await store.request('b', { datasetId: 'd', preset: 'quick', overrides: { imageSize: 128 } })
    expect(calls.length).toBe(n)
    await store.request('c', { datasetId: 'd', preset: 'quick', overrides: { imageSize: 64 } })
    expect(store.measures.c).toEqual({ stepSeconds: 0.5 })
  })
})
