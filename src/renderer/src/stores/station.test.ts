import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useStationStore } from './station'
import { useReviewStore } from './review'
import { installFakePbas } from '../../../test-support/fake-pbas'
import type { RunRecord } from '../../../shared/models/workspace'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import type { StationEvent, StationStatus } from '../../../shared/models/station'

const run: RunRecord = { id: 'r1', productId: 'p1', datasetId: 'd1', state: 'succeeded', config: {} as PbasConfig, modelDir: '/m', createdAt: '2026-12-01T10:00:00Z' }
const status = (over: Partial<StationStatus> = {}): StationStatus => ({
  id: 's1', version: 1, runId: 'r1', productId: 'p1', dir: '/line', sort: true, state: 'running', evaluationId: 'q1', log: '/line/pbas-results.jsonl', csv: '/line/pbas-results.csv',
  counters: null, recent: [], unreadable: [], startedAt: 'now', ...over,
})
const item = (index: number, score: number) => ({ index, path: `/line/fail/${index}.png`, score, label: null, defectType: null, hasMask: false, nearestPath: null })

// One fake engine for every test (the api module keeps the first transport), typed against the IPC contract; `queue` is what evaluations:review returns.
let queue: ReturnType<typeof item>[] = []
let lastStation: StationStatus | null = null
const fake = installFakePbas({
  'stations:status': () => lastStation,
  'stations:start': () => status({ state: 'starting' }),
  'stations:pause': () => status({ state: 'pausing' }),
  'evaluations:list': () => [{ id: 'q1', runId: 'r1', state: 'running', source: '/line', dir: '/ws/reviews/r1/q1', createdAt: 'now', images: queue.length }],
  'verdicts:list': () => [],
  'evaluations:review': () => ({
    formatVersion: 1, createdAt: 'now', source: { data: '/line', kind: 'folder' }, imageSize: 8, mapRange: { lo: 0, hi: 1 }, metrics: null, curves: null, skipped: [],
    thresholds: { model: { default: { mode: 'fpr', value: 0.7, achieved: 0 }, band: { review: 0.5, fail: 0.7 }, source: 'x' }, f1: null }, items: [...queue],
  }),
  'evaluations:thumbs': () => ({}),
})
const calls = () => fake.invoke.mock.calls
const emit = (e: StationEvent) => fake.emit('stations:event', e)

describe('station store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    queue = []
    lastStation = null
    fake.invoke.mockClear()
  })

  it('does not show another run’s stopped station (its folder, counters and parts) on this run’s screen', async () => {
    lastStation = status({ runId: 'r0', state: 'stopped', recent: [{ file: 'cam-1.png', score: 0.9, verdict: 'fail', scoredAt: 'now' } as unknown as StationStatus['recent'][number]] })
    const station = useStationStore()
    await station.open(run)
    expect(station.status).toBeNull()
    expect(station.recent).toEqual([])
    // ...but a running one holds the lane, so it is shown (this run cannot start its own until it stops).
    lastStation = status({ runId: 'r0', state: 'running' })
    await station.open(run)
    expect(station.busyElsewhere).toBe(true)
  })

  it('starts a station, opens its review queue, and grows the strip and the queue as parts arrive', async () => {
    vi.useFakeTimers()
    const station = useStationStore()
    const review = useReviewStore()
    await station.open(run)
    expect(station.run?.id).toBe('r1')
    await station.start(' /line ', true)
    expect(calls().find(([c]) => c === 'stations:start')![1]).toEqual({ runId: 'r1', dir: '/line', sort: true })
    expect(review.evaluationId).toBe('q1')
    expect(review.data!.items).toEqual([])
    expect(review.current).toBeNull()
    emit({ type: 'status', station: status() })
    expect(station.status!.state).toBe('running')
    // Three parts, one of them queued; the queue is re-read once, after a short delay.
    for (let i = 0; i < 3; i++) emit({ type: 'part', stationId: 's1', part: { file: `${i}.png`, verdict: i === 1 ? 'fail' : 'pass', score: 0.1 * i, latencyMs: 10, scoredAt: `t${i}`, queueIndex: i === 1 ? 0 : undefined }, queued: i === 1 })
    expect(station.recent.map((p) => p.file)).toEqual(['2.png', '1.png', '0.png'])
    queue = [item(0, 0.9)]
    const before = calls().filter(([c]) => c === 'evaluations:review').length
    await vi.advanceTimersByTimeAsync(1100)
    expect(calls().filter(([c]) => c === 'evaluations:review').length).toBe(before + 1)
    expect(review.data!.items).toHaveLength(1)
    // The viewer opens the first queued part when nothing was selected yet.
    expect(review.current).toBe(0)
    emit({ type: 'counters', stationId: 's1', counters: { pass: 2, review: 0, fail: 1, unreadable: 0, session: 3, waiting: 0, etaSeconds: 0, imagesPerSecond: 3, latencyP50Ms: 10, latencyP95Ms: 10, drift: null } })
    expect(station.counters!.fail).toBe(1)
    // Events of another station are ignored.
    emit({ type: 'part', stationId: 'other', part: { file: 'x.png', verdict: 'pass', score: 0, latencyMs: 1, scoredAt: 'x' }, queued: false })
    expect(station.recent).toHaveLength(3)
    await station.pause()
    expect(calls().at(-1)).toEqual(['stations:pause', { stationId: 's1' }])
    expect(station.status!.state).toBe('pausing')
    // A reply older than an event already applied (the station paused meanwhile) is dropped.
    emit({ type: 'status', station: status({ state: 'paused', version: 5 }) })
    await station.pause()
    expect(station.status!.state).toBe('paused')
    vi.useRealTimers()
  })

  it('keeps at most 12 parts in the strip and shows another run\'s active station as busy', async () => {
    const station = useStationStore()
    await station.open({ ...run, id: 'r2' })
    emit({ type: 'status', station: status() })
    expect(station.busyElsewhere).toBe(true)
    for (let i = 0; i < 20; i++) emit({ type: 'part', stationId: 's1', part: { file: `${i}.png`, verdict: 'pass', score: 0, latencyMs: 1, scoredAt: `t${i}` }, queued: false })
    expect(station.recent).toHaveLength(12)
    expect(station.recent[0].file).toBe('19.png')
  })
})
