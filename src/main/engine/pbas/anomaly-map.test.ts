import { describe, expect, it } from 'vitest'
import { anomalyMap, anomalyMapOperator, gaussianFilter } from './anomaly-map'
import { resizeMap } from '../util/bilinear'
import { readReference } from '../../../test-support/shared'

type A = { shape: number[]; data: number[] }

describe('anomaly map (Eq. 12)', () => {
  const fx = readReference<{ patch_scores: A; resized: A; expected: A }>('smoothing.json')
  const maxErr = (a: Float32Array, b: number[]) => b.reduce((m, v, i) => Math.max(m, Math.abs(a[i] - v)), 0)

  it('reproduces smoothing.json: bilinear resize and scipy gaussian_filter (reflect, truncate 4)', () => {
    const src = Float32Array.from(fx.patch_scores.data)
    const resized = resizeMap(src, 8, 8, 32, 32)
    expect(maxErr(resized, fx.resized.data)).toBeLessThan(1e-6)
    expect(maxErr(gaussianFilter(resized, 32, 32, 4), fx.expected.data)).toBeLessThan(1e-6)
    expect(maxErr(anomalyMap(src, 8, 32), fx.expected.data)).toBeLessThan(1e-6)
  })

  it('the separable operator A P A^T equals resizing then filtering, at the product size (32 -> 256)', () => {
    const src = Float32Array.from({ length: 32 * 32 }, (_, i) => 0.5 + 0.5 * Math.sin(i * 0.7) * Math.cos(i * 0.13))
    const direct = gaussianFilter(resizeMap(src, 32, 32, 256, 256), 256, 256, 4)
    expect(maxErr(anomalyMap(src, 32, 256), Array.from(direct))).toBeLessThan(1e-6)
  })

  it('preserves a constant map (kernel normalised, reflect borders)', () => {
    const flat = new Float32Array(20 * 20).fill(0.7)
    const g = gaussianFilter(flat, 20, 20)
    expect(Math.max(...g.map((v) => Math.abs(v - 0.7)))).toBeLessThan(1e-6)
  })

  it('as the matrix the ONNX export uses: A P A^T equals anomalyMap(P), here and on the reference', () => {
    const check = (P: Float32Array, g: number, S: number, sigma: number) => {
      const A = anomalyMapOperator(g, S, sigma)
      const out = new Float32Array(S * S)
      for (let y = 0; y < S; y++)
        for (let x = 0; x < S; x++) {
          let s = 0
          for (let i = 0; i < g; i++) for (let j = 0; j < g; j++) s += A[y * g + i] * P[i * g + j] * A[x * g + j]
          out[y * S + x] = s
        }
      return out
    }
    const src = Float32Array.from(fx.patch_scores.data)
    expect(maxErr(check(src, 8, 32, 4), fx.expected.data)).toBeLessThan(1e-6)
    // A non-symmetric grid and a map smaller than the kernel's reach (reflection folds more than once).
    const P = Float32Array.from({ length: 36 }, (_, i) => ((i * 7919) % 37) / 37)
    const ref = anomalyMap(P, 6, 12, 4)
    expect(maxErr(check(P, 6, 12, 4), Array.from(ref))).toBeLessThan(1e-6)
    expect(Math.max(...ref) - Math.min(...ref)).toBeGreaterThan(1e-3)
  })
})
