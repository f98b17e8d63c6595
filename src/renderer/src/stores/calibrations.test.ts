import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useCalibrationsStore } from './calibrations'

const level = (value: number, bound: number) => ({ target: 0.01, value, k: 41, bound, supportable: false, observed: 0, interval: [0, 0.086] })
const revision = (id: number, images: number) => ({ id, createdAt: '2026-12-01T10:00:00Z', by: id === 1 ? 'training' : 'ana', images, calibration: { images, floor: 1 / (images + 1), fail: level(0.6, 1 / (images + 1)), review: level(0.5, 2 / (images + 1)), source: `${images} images` } })

// One bridge for the file (the API module keeps the first one it sees); each test sets its own invoke.
let listener: ((e: unknown) => void) | null = null
let handle: (channel: string, arg: unknown) => Promise<unknown> = async () => ({ ok: true, value: null })
;(globalThis as unknown as { window: unknown }).window = {
  pbas: { invoke: (c: string, a: unknown) => handle(c, a), on: (_c: string, l: (e: unknown) => void) => ((listener = l), () => {}) },
  location: { hash: '' },
}

describe('calibrations store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('lists revisions, follows a recalibration job to its new revision, and selects an earlier one', async () => {
    const calls: [string, unknown][] = []
    let revisions = [revision(1, 41)]
    let active = 1
    const state = () => ({ active, revisions, band: { review: 0.5, fail: 0.6 }, source: 'x', calibration: revisions.find((r) => r.id === active)!.calibration })
    const invoke = async (channel: string, arg: unknown) => {
      calls.push([channel, arg])
      if (channel === 'calibrations:list') return { ok: true, value: state() }
      if (channel === 'calibrations:start') return { ok: true, value: { jobId: 'j1' } }
      if (channel === 'calibrations:select') return (active = (arg as { revision: number }).revision), { ok: true, value: state() }
      return { ok: false, error: { code: 'invalid-argument', message: `unexpected ${channel}` } }
    }
    handle = invoke
    const store = useCalibrationsStore()
    await store.open('r1')
    expect(store.current?.revisions.map((r) => r.id)).toEqual([1])

    await store.recalibrate({ dir: ' /line/good ' }, true)
    expect(calls.find(([c]) => c === 'calibrations:start')![1]).toEqual({ runId: 'r1', dir: '/line/good', replace: true })
    listener!({ type: 'progress', jobId: 'j1', kind: 'calibrate', progress: { kind: 'progress', stage: 'infer', done: 3, total: 30, etaSeconds: 2, message: 'scoring' } })
    expect(store.job).toMatchObject({ message: 'scoring', done: 3, total: 30 })
    // Another job's end changes nothing.
    listener!({ type: 'state', jobId: 'other', kind: 'calibrate', state: 'succeeded', result: { revision: revision(9, 1), refused: [] } })
    expect(store.job).not.toBeNull()
    revisions = [...revisions, revision(2, 71)]
    active = 2
    listener!({ type: 'state', jobId: 'j1', kind: 'calibrate', state: 'succeeded', result: { revision: revision(2, 71), refused: [{ path: '/t/test/good/1.png', reason: 'test split' }] } })
    expect(store.job).toBeNull()
    expect(store.last?.refused).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 0))
    expect(store.current?.active).toBe(2)

    await store.select(1)
    expect(store.current?.active).toBe(1)
    expect(store.current?.calibration?.images).toBe(41)
  })

  it('says why a recalibration failed', async () => {
    handle = async (channel: string) => (channel === 'calibrations:start' ? { ok: true, value: { jobId: 'j2' } } : { ok: true, value: { active: null, revisions: [], band: { review: 0.5, fail: 0.6 }, source: 'training images', calibration: null } })
    const store = useCalibrationsStore()
    await store.open('r1')
    await store.recalibrate({ evaluationId: 'e1' })
    listener!({ type: 'state', jobId: 'j2', kind: 'calibrate', state: 'failed', error: { code: 'invalid-input', message: 'none of the 3 images could be used' } })
    expect(store.job).toBeNull()
    expect(store.error).toContain('none of the 3 images could be used')
  })
})
