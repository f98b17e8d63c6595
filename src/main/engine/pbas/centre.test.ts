import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend/select-backend'
import { initCentre } from './centre'
import { afsOffset, disposeCentre, nearestCentre, offsetFromCentre, prepareCentre } from './synthesis'
import { readReference } from '../../../test-support/shared'

type A = { shape: number[]; data: number[] }
const maxErr = (a: ArrayLike<number>, b: number[]) => b.reduce((m, v, i) => Math.max(m, Math.abs(a[i] - v)), 0)

describe('ABL centre and AFS', () => {
  beforeAll(async () => {
    await initBackend()
  })

  const fx = readReference<{ beta: number; batches: A[]; expected_cosine: A; expected_euclidean: A }>('center.json')
  const [, P, D] = fx.batches[0].shape
  const means = fx.batches.map((b) => {
    const [B] = b.shape
    const m = new Float32Array(P * D)
    for (let i = 0; i < B; i++) for (let k = 0; k < P * D; k++) m[k] += b.data[i * P * D + k] / B
    return m
  })

  it('reproduces center.json with the cosine rule (official code) and the Euclidean rule (paper text)', async () => {
    const before = tf.memory().numTensors
    const cos = await initCentre(means, [3, 3, 3, 3], P, D, 'abl-cosine', fx.beta)
    expect(maxErr(cos.centre, fx.expected_cosine.data)).toBeLessThan(1e-5)
    const euc = await initCentre(means, [3, 3, 3, 3], P, D, 'abl-euclidean', fx.beta)
    expect(maxErr(euc.centre, fx.expected_euclidean.data)).toBeLessThan(1e-5)
    expect(cos.distances).toHaveLength(4)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('ablation centres: average is the mean of all images; iterative is plain EMA', async () => {
    const avg = (await initCentre(means, [3, 3, 3, 3], P, D, 'average', fx.beta)).centre
    expect(avg[0]).toBeCloseTo((means[0][0] + means[1][0] + means[2][0] + means[3][0]) / 4, 5)
    const it = (await initCentre(means.slice(0, 2), [3, 3], P, D, 'iterative', 0.1)).centre
    expect(it[3]).toBeCloseTo(0.9 * means[0][3] + 0.1 * means[1][3], 6)
    const km = (await initCentre(means, [3, 3, 3, 3], P, D, 'kmeans', 0.1)).centre
    expect(km.every(Number.isFinite)).toBe(true)
  })

  it('reproduces synthesis.json: nearest centre (cosine), L_c and z = u + k L_c (u - c~)/||u - c~||', () => {
    const s = readReference<{ k: number; u: A; centers: A; nearest: number[]; loss_c: number; expected: A }>('synthesis.json')
    const before = tf.memory().numTensors
    const u = tf.tensor2d(s.u.data, s.u.shape as [number, number])
    const centers = tf.tensor2d(s.centers.data, s.centers.shape as [number, number])
    const c = prepareCentre(centers)
    const nearest = nearestCentre(u, c, 'cosine')
    expect(Array.from(nearest.dataSync())).toEqual(s.nearest)
    const { diff, dist } = offsetFromCentre(u, c, nearest)
    const mean = dist.mean()
    const lossC = mean.dataSync()[0]
    expect(lossC).toBeCloseTo(s.loss_c, 5)
    const off = afsOffset(diff, dist, lossC, s.k)
    const z = u.add(off)
    expect(maxErr(z.dataSync(), s.expected.data)).toBeLessThan(1e-5)
    tf.dispose([u, centers, nearest, diff, dist, mean, off, z])
    disposeCentre(c)
    expect(tf.memory().numTensors).toBe(before)
  })
})
