import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useReviewStore } from './review'
import type { RunRecord } from '../../../shared/models/workspace'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import type { ReviewSummary } from '../../../shared/models/review'
import { FakeIpcError, installFakePbas } from '../../../test-support/fake-pbas'

const run: RunRecord = { id: 'r1', productId: 'p1', datasetId: 'd1', state: 'succeeded', config: {} as PbasConfig, modelDir: '/m', createdAt: '2026-11-28T10:00:00Z' }
const item = (index: number, score: number, label: 'good' | 'defect' | null, defectType: string | null) => ({ index, path: `/img/${index}.png`, score, label, defectType, hasMask: false, nearestPath: null })
const reviewData = (kind: 'test-split' | 'folder'): ReviewSummary => ({
  formatVersion: 1, createdAt: 'now', source: { data: '/d', kind }, imageSize: 8, mapRange: { lo: 0, hi: 1 }, metrics: null, curves: null, skipped: [],
  thresholds: { model: { default: { mode: 'fpr', value: 0.7, achieved: 0 }, band: { review: 0.5, fail: 0.7 }, source: '3 held-out good images' }, f1: { mode: 'f1-max', value: 0.45, achieved: 1 } },
  items: [item(2, 0.9, 'defect', 'scratch'), item(0, 0.6, 'good', 'good'), item(1, 0.4, 'defect', 'dent'), item(3, 0.1, 'good', 'good')],
})

// The api module keeps the first transport it finds, so one fake (typed against the IPC contract) serves every
// test; `kind` says which review it serves, and its calls reset per test.
let kind: 'test-split' | 'folder' = 'test-split'
const fake = installFakePbas({
  'evaluations:list': () => [{ id: 'e1', runId: 'r1', state: 'succeeded', source: '/d', dir: `/ws/reviews/r1/${kind === 'test-split' ? 'test-split' : 'e1'}`, createdAt: 'now', images: 4 }],
  'verdicts:list': () => [],
  'evaluations:review': ({ evaluationId }) => {
    // A station's queue before its first part: no review.json yet.
    if (evaluationId === 'queue') throw new FakeIpcError({ code: 'invalid-argument', message: 'evaluation queue is running; wait for it to finish' })
    return reviewData(kind)
  },
  'verdicts:set': ({ imagePath, verdict }) => (verdict === null ? null : { imagePath, verdict, reviewer: 'qe', at: 'now' }),
  'evaluations:set-threshold': ({ threshold }) => ({ id: 'e1', runId: 'r1', state: 'succeeded', source: '/d', dir: '/x', createdAt: 'now', threshold }),
  'training:add-good': () => ({ added: 1, total: 1, refused: [] }),
  'evaluations:thumbs': ({ indices }) => Object.fromEntries(indices.map((i) => [i, `data:thumb${i}`])),
})
function fakeEngine(k: 'test-split' | 'folder') {
  kind = k
  fake.invoke.mockClear()
  return fake.invoke.mock.calls
}

describe('review store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('never shows the last evaluation’s images under another evaluation (a station queue not readable yet)', async () => {
    fakeEngine('test-split')
    const store = useReviewStore()
    await store.open(run)
    expect(store.data?.items).toHaveLength(4)
    await store.select('queue')
    expect(store.evaluationId).toBe('queue')
    expect(store.data).toBeNull()
  })

  it('opens a run on its first evaluation worst first, with the model threshold, and walks the filtered grid', async () => {
    const calls = fakeEngine('test-split')
    const store = useReviewStore()
    await store.open(run)
    expect(store.current).toBe(2)
    await new Promise((r) => setTimeout(r, 0)) // the grid's thumbnails load after the list
    expect(calls.find(([c]) => c === 'evaluations:thumbs')![1]).toEqual({ evaluationId: 'e1', indices: [2, 0, 1, 3] })
    expect(store.thumbs[1]).toBe('data:thumb1')
    expect(store.threshold).toEqual({ mode: 'fpr', value: 0.7, review: 0.5 })
    expect(store.confusion).toMatchObject({ tp: 1, fn: 1, fp: 0, tn: 2, inReview: 1 })
    store.step(1)
    store.step(1)
    expect(store.current).toBe(1)
    store.step(5)
    expect(store.current).toBe(3)
    store.filters.defectType = 'dent'
    expect(store.visible.map((x) => x.index)).toEqual([1])
    store.filters.defectType = 'all'
    store.filters.minScore = 0.5
    expect(store.visible.map((x) => x.index)).toEqual([2, 0])
  })

  it('records and clears verdicts, filters by them, and keeps test-split images out of training', async () => {
    const calls = fakeEngine('test-split')
    const store = useReviewStore()
    await store.open(run)
    await store.setVerdict('good', '/img/0.png')
    await store.setVerdict('defect', '/img/2.png')
    store.filters.verdict = 'good'
    expect(store.visible.map((x) => x.index)).toEqual([0])
    store.filters.verdict = 'none'
    expect(store.visible.map((x) => x.index)).toEqual([1, 3])
    await store.setVerdict(null, '/img/2.png')
    expect(store.verdicts['/img/2.png']).toBeUndefined()
    expect(store.canAddToTraining).toBe(false)
    await store.addConfirmedGood()
    expect(calls.some(([c]) => c === 'training:add-good')).toBe(false)
  })

  it('applies F1-max and false-reject modes, keeping the review band width, and saves the threshold', async () => {
    const calls = fakeEngine('folder')
    const store = useReviewStore()
    await store.open(run)
    store.applyMode('f1-max')
    expect(store.threshold!.value).toBe(0.45)
    expect(store.threshold!.review).toBeCloseTo(0.25)
    store.applyMode('fpr', 0.5) // good scores 0.6 and 0.1: rejecting at most one of two
    expect(store.threshold!.value).toBeGreaterThan(0.1)
    expect(store.threshold!.value).toBeLessThanOrEqual(0.6)
    expect(store.confusion!.falseRejectRate).toBe(0.5)
    await store.saveThreshold()
    expect(calls.find(([c]) => c === 'evaluations:set-threshold')![1]).toMatchObject({ evaluationId: 'e1', threshold: { mode: 'fpr', fprTarget: 0.5 } })
    await store.setVerdict('good', '/img/3.png')
    expect(store.canAddToTraining).toBe(true)
    await store.addConfirmedGood()
    expect(calls.find(([c]) => c === 'training:add-good')![1]).toEqual({ productId: 'p1', paths: ['/img/3.png'] })
    expect(store.added).toBe(1)
  })
})
