import { describe, expect, it } from 'vitest'
import { PatchEmbedder, type HostMap } from './patch-embedder'
import { adaptiveBin } from './pooling-map'
import { readReference } from '../../../test-support/shared'

interface Arr { shape: number[]; data: number[] }
const fx = readReference<{ patchsize: number; pretrain_dim: number; target_dim: number; level1: Arr; level2: Arr; expected: Arr }>('features.json')

function nchwToNhwc(a: Arr): HostMap {
  const [B, C, H, W] = a.shape
  const data = new Float32Array(a.data.length)
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < H * W; i++) data[(b * H * W + i) * C + c] = a.data[(b * C + c) * H * W + i]
  return { data, shape: [B, H, W, C] }
}

/** Straightforward re-implementation of the reference order (resize each element, pool, stack, pool). */
function naiveReference(): Float32Array {
  const [B, C1, H, W] = fx.level1.shape
  const [, C2, h, w] = fx.level2.shape
  const p = fx.patchsize
  const at = (a: Arr, C: number, hh: number, ww: number, b: number, c: number, y: number, x: number) =>
    y < 0 || x < 0 || y >= hh || x >= ww ? 0 : a.data[((b * C + c) * hh + y) * ww + x]
  const src = (o: number, inS: number, outS: number) => Math.max(0, (o + 0.5) * (inS / outS) - 0.5)
  const pool = (v: number[], O: number) =>
    Array.from({ length: O }, (_, i) => {
      const [s, e] = adaptiveBin(i, v.length, O)
      let t = 0
      for (let k = s; k < e; k++) t += v[k]
      return t / (e - s)
    })
  const out: number[] = []
  for (let b = 0; b < B; b++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const v1: number[] = []
        for (let c = 0; c < C1; c++) for (let dy = 0; dy < p; dy++) for (let dx = 0; dx < p; dx++) v1.push(at(fx.level1, C1, H, W, b, c, y + dy - 1, x + dx - 1))
        const v2: number[] = []
        const sy = src(y, h, H), sx = src(x, w, W)
        const y0 = Math.floor(sy), x0 = Math.floor(sx), y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1)
        const ly = sy - y0, lx = sx - x0
        for (let c = 0; c < C2; c++)
          for (let dy = 0; dy < p; dy++)
            for (let dx = 0; dx < p; dx++) {
              const g = (yy: number, xx: number) => at(fx.level2, C2, h, w, b, c, yy + dy - 1, xx + dx - 1)
              v2.push((1 - ly) * ((1 - lx) * g(y0, x0) + lx * g(y0, x1)) + ly * ((1 - lx) * g(y1, x0) + lx * g(y1, x1)))
            }
        out.push(...pool([...pool(v1, fx.pretrain_dim), ...pool(v2, fx.pretrain_dim)], fx.target_dim))
      }
  return Float32Array.from(out)
}

describe('PatchEmbedder (E_phi)', () => {
  it('reproduces features.json to 1e-5', () => {
    const emb = new PatchEmbedder([fx.level1.shape[1], fx.level2.shape[1]], {
      patchSize: fx.patchsize,
      pretrainDim: fx.pretrain_dim,
      targetDim: fx.target_dim,
    })
    const l1 = nchwToNhwc(fx.level1)
    const l2 = nchwToNhwc(fx.level2)
    const got = emb.embed([l1, l2])
    expect(got.length).toBe(fx.expected.shape[0] * fx.expected.shape[1])
    let maxErr = 0
    fx.expected.data.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(got[i] - v))))
    expect(maxErr).toBeLessThan(1e-5)
  })

  it('agrees with a naive implementation of the reference order (guards the fixture reading itself)', () => {
    const naive = naiveReference()
    let maxErr = 0
    fx.expected.data.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(naive[i] - v))))
    expect(maxErr).toBeLessThan(1e-5)
  })
})
