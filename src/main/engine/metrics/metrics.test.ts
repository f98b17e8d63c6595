import { describe, expect, it } from 'vitest'
import { computeMetrics } from './evaluate'
import { auroc, averagePrecision } from './ranking'
import { labelRegions, proScore } from './pro'
import { f1MaxThreshold, fprThreshold, reviewBand, verdict } from './thresholds'
import { argsortDescending } from './argsort'
import { readReference } from '../../../test-support/shared'

interface Fx {
  labels: number[]
  masks: { shape: number[]; data: number[] }
  maps: { shape: number[]; data: number[] }
  expected: Record<string, number>
}

describe('metrics', () => {
  it('reproduce metrics.json (scikit-learn) to 1e-6', () => {
    const fx = readReference<Fx>('metrics.json')
    const [n, h, w] = fx.maps.shape
    const m = computeMetrics({ labels: fx.labels, maps: Float32Array.from(fx.maps.data), masks: fx.masks.data, n, h, w })
    for (const k of ['image_auroc', 'image_ap', 'pixel_auroc', 'pixel_ap', 'pixel_pro'] as const) expect(Math.abs(m[k]! - fx.expected[k]), k).toBeLessThan(1e-6)
  })

  it('handle ties as scikit-learn does (hand cases)', () => {
    expect(auroc(Float32Array.from([0.5, 0.5, 0.5, 0.5]), [0, 1, 0, 1])).toBe(0.5)
    expect(auroc(Float32Array.from([0.1, 0.4, 0.35, 0.8]), [0, 0, 1, 1])).toBe(0.75)
    expect(averagePrecision(Float32Array.from([0.1, 0.4, 0.35, 0.8]), [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 9)
    expect(Number.isNaN(auroc(Float32Array.from([1, 2]), [1, 1]))).toBe(true)
  })

  it('sorts millions of pixels exactly (radix argsort), -0 next to +0 so ties group', () => {
    const n = 100 * 256 * 256
    const s = new Float32Array(n)
    for (let i = 0; i < n; i++) s[i] = Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453) - 0.5
    const idx = argsortDescending(s)
    let ok = true
    for (let k = 1; k < n; k++) ok &&= s[idx[k - 1]] >= s[idx[k]]
    expect(ok).toBe(true)
    const neg = Float32Array.from([-0, 0, -1, 2, -Infinity, 1e-30])
    expect(Array.from(argsortDescending(neg)).map((i) => neg[i])).toEqual([2, 1e-30, 0, -0, -1, -Infinity].map((v) => Math.fround(v)))
  })

  it('PRO: 8-connected regions, perfect and useless maps', () => {
    const mask = [1, 0, 0, 0, 1, 0, 0, 0, 1] // a diagonal: one region under 8-connectivity
    expect(labelRegions(mask, 3, 3).count).toBe(1)
    expect(proScore(Float32Array.from(mask), mask, 1, 3, 3)).toBeCloseTo(1, 12)
    expect(proScore(Float32Array.from(mask.map((v) => 1 - v)), mask, 1, 3, 3)).toBe(0)
  })

  it('thresholds: F1-max, false-reject target without defect labels, review band', () => {
    const scores = Float32Array.from([0.1, 0.2, 0.3, 0.9, 0.8, 0.25])
    const t = f1MaxThreshold(scores, [0, 0, 0, 1, 1, 0])
    expect(t.value).toBeCloseTo(0.8, 6)
    expect(t.achieved).toBe(1)
    const good = Float32Array.from(Array.from({ length: 100 }, (_, i) => i / 100))
    const f = fprThreshold(good, 0.01)
    expect(f.achieved).toBe(0.01)
    expect(f.value).toBeGreaterThan(0.98)
    expect(f.value).toBeLessThanOrEqual(0.99)
    const tied = fprThreshold(Float32Array.from([0.5, 0.5, 0.5, 0.1]), 0.5)
    expect(tied.achieved).toBe(0) // the three tied scores are not split
    const band = reviewBand(good, 0.01, 0.1)
    expect([verdict(0.995, band), verdict(0.95, band), verdict(0.5, band)]).toEqual(['fail', 'review', 'pass'])
  })
})
