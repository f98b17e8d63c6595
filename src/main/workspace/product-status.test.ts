import { describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { productStatus, type ProductStatusSources } from './product-status'

const dir = mkdtempSync(join(tmpdir(), 'pbas-status-'))
const evalDir = (name: string) => {
  const d = join(dir, name)
  mkdirSync(d, { recursive: true })
  writeFileSync(join(d, 'review.json'), '{}')
  return d
}
const band = { review: 0.5, fail: 0.7 }
const summary = (kind: 'test-split' | 'folder', shifted = false) => ({
  source: { data: '/d', kind }, thresholds: { model: { band, calibration: { fail: { bound: 0.05 } } } },
  metrics: kind === 'test-split' ? { false_reject_rate: 0.1, defect_recall: 0.8 } : null, drift: { shifted },
})
const item = (index: number, score: number, label: 'good' | 'defect' | null) => ({ index, path: `/nowhere/${index}.png`, score, label, defectType: null, hasMask: false, nearestPath: null })

/** Fake workspace stores: one product with the given runs and, for run r2, a test split and a station queue. */
function sources(runs: { id: string; state: string; finishedAt?: string }[], drift = false): ProductStatusSources {
  const evaluations = [
    { id: 'q', runId: 'r2', dir: evalDir('q'), kind: 'folder' as const, items: [item(0, 0.9, null), item(1, 0.6, null), item(2, 0.1, null), item(3, 0.95, null)] },
    { id: 't', runId: 'r2', dir: evalDir('t'), kind: 'test-split' as const, items: [item(0, 0.2, 'good'), item(1, 0.9, 'defect'), item(2, 0.3, 'good')] },
  ]
  return {
    products: { datasets: () => [] },
    runs: { list: () => runs.map((r) => ({ config: {}, ...r })) },
    evaluations: {
      list: (runId: string) => evaluations.filter((e) => e.runId === runId).map((e) => ({ id: e.id, dir: e.dir })),
      verdicts: () => [{ imagePath: '/nowhere/3.png' }],
      items: (id: string) => evaluations.find((e) => e.id === id)!.items,
    },
    readReview: async (d: string) => summary(evaluations.find((e) => e.dir === d)!.kind, drift && d.endsWith('q')),
  } as unknown as ProductStatusSources
}

describe('a product at a glance', () => {
  it('no model before any finished run; training while one runs', async () => {
    expect((await productStatus(sources([]), 'p')).state).toBe('no-model')
    expect((await productStatus(sources([{ id: 'r1', state: 'running' }]), 'p')).state).toBe('training')
  })

  it('ready: the newest finished model, its test-split quality, and the queue parts flagged without a verdict', async () => {
    const s = await productStatus(sources([{ id: 'r1', state: 'succeeded', finishedAt: '2026-01-01' }, { id: 'r2', state: 'succeeded', finishedAt: '2026-02-01' }]), 'p')
    expect(s.state).toBe('ready')
    expect(s.run?.id).toBe('r2')
    expect(s.quality).toEqual({ falseReject: 0.1, defectRecall: 0.8, bound: 0.05, goodParts: 2, defectParts: 1 })
    // queue: 0.9 fail, 0.6 review, 0.1 pass, 0.95 fail but already judged -> 2 waiting
    expect(s.waiting).toBe(2)
  })

  it('drifting when the newest evaluation’s good parts scored higher than the calibration images', async () => {
    expect((await productStatus(sources([{ id: 'r2', state: 'succeeded', finishedAt: '2026-02-01' }], true), 'p')).state).toBe('drifting')
  })
})
