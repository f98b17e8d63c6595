import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend/select-backend'
import { PatchEmbedder } from './patch-embedder'
import { adaptiveBin } from './pooling-map'
import { readReference } from '../../../test-support/shared'

interface Arr { shape: number[]; data: number[] }
const fx = readReference<{ patchsize: number; pretrain_dim: number; target_dim: number; level1: Arr; level2: Arr; expected: Arr }>('features.json')

function nchwToNhwc(a: Arr): tf.Tensor4D {
  return tf.tidy(() => tf.tensor4d(a.data, a.shape as [number, number, number, number]).transpose([0, 2, 3, 1]))
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
  beforeAll(async () => {
    await initBackend()
  })
  afterAll(() => tf.disposeVariables())

  it('reproduces features.json to 1e-5', () => {
    const before = tf.memory().numTensors
    const emb = new PatchEmbedder([fx.level1.shape[1], fx.level2.shape[1]], {
      patchSize: fx.patchsize,
      pretrainDim: fx.pretrain_dim,
      targetDim: fx.target_dim,
    })
    const l1 = nchwToNhwc(fx.level1)
    const l2 = nchwToNhwc(fx.level2)
    const out = emb.embed([l1, l2])
    expect(out.shape).toEqual(fx.expected.shape)
    const got = out.dataSync()
    let maxErr = 0
    fx.expected.data.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(got[i] - v))))
    expect(maxErr).toBeLessThan(1e-5)
    tf.dispose([out, l1, l2])
    emb.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('agrees with a naive implementation of the reference order (guards the fixture reading itself)', () => {
    const naive = naiveReference()
    let maxErr = 0
    fx.expected.data.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(naive[i] - v))))
    expect(maxErr).toBeLessThan(1e-5)
  })
})
