// ABL centre initialisation (Algorithm 1) and the Table VI ablations: average, iterative EMA, k-means.
import * as tf from '@tensorflow/tfjs'
import type { CentreInit } from './config'
import { disposeCentre, nearestCentre, prepareCentre } from './synthesis'
import { centreRule, type MatchRule } from './config-helpers'

/** Matches every row of `a` [P, D] to its nearest row of `c` (computed before any update). */
export function matchRows(c: Float32Array, a: Float32Array, P: number, D: number, rule: MatchRule): Int32Array {
  return tf.tidy(() => {
    const ct = prepareCentre(tf.tensor2d(c, [P, D]))
    const idx = nearestCentre(tf.tensor2d(a, [P, D]), ct, rule)
    const out = Int32Array.from(idx.dataSync())
    disposeCentre(ct)
    return out
  })
}

/** Algorithm 1's update: rows j = 0..P-1 in order, c[k_j] = (1 - beta) c[k_j] + beta a[j] (in place). */
export function emaMatchedRows(c: Float32Array, a: Float32Array, nearest: Int32Array, D: number, beta: number): void {
  for (let j = 0; j < nearest.length; j++) {
    const k = nearest[j] * D
    for (let d = 0; d < D; d++) c[k + d] = (1 - beta) * c[k + d] + beta * a[j * D + d]
  }
}

/** Mean distance between rows of `a` and their matched rows of `c` (the curve of the paper's Fig. 11). */
function meanMatchedDistance(c: Float32Array, a: Float32Array, nearest: Int32Array, D: number): number {
  let total = 0
  for (let j = 0; j < nearest.length; j++) {
    let s = 0
    for (let d = 0; d < D; d++) s += (a[j * D + d] - c[nearest[j] * D + d]) ** 2
    total += Math.sqrt(s)
  }
  return total / nearest.length
}

/** Result of centre initialisation: the centre [P, D] and the per-batch distance history. */
export interface CentreResult {
  centre: Float32Array
  /** mean L2 distance of each batch's mean features to their matched centre rows, before the update */
  distances: number[]
}

/**
 * Builds the centre from per-batch means of projected features ([P, D] each, in loader order).
 * `weights` are the batch sizes (used by 'average' so every image counts once).
 */
export function initCentre(means: Float32Array[], weights: number[], P: number, D: number, method: CentreInit, beta: number, kmeansIters = 10): CentreResult {
  if (means.length === 0) throw new Error('centre initialisation needs at least one batch')
  const c = Float32Array.from(means[0])
  const distances: number[] = [0]
  if (method === 'average') {
    const total = weights.reduce((a, b) => a + b, 0)
    c.fill(0)
    means.forEach((m, i) => {
      for (let k = 0; k < c.length; k++) c[k] += (m[k] * weights[i]) / total
    })
    return { centre: c, distances }
  }
  const identity = Int32Array.from({ length: P }, (_, i) => i)
  for (let i = 1; i < means.length; i++) {
    const a = means[i]
    const nearest = method === 'iterative' || method === 'kmeans' ? identity : matchRows(c, a, P, D, centreRule({ centreInit: method }))
    distances.push(meanMatchedDistance(c, a, nearest, D))
    if (method !== 'kmeans') emaMatchedRows(c, a, nearest, D, beta)
  }
  if (method === 'kmeans') kmeans(c, means, P, D, kmeansIters)
  return { centre: c, distances }
}

/** Lloyd iterations with K = P clusters over all batch-mean rows, starting from the first batch's mean. */
function kmeans(c: Float32Array, means: Float32Array[], P: number, D: number, iters: number): void {
  for (let it = 0; it < iters; it++) {
    const sum = new Float64Array(P * D)
    const count = new Int32Array(P)
    for (const a of means) {
      const nearest = matchRows(c, a, P, D, 'euclidean')
      for (let j = 0; j < P; j++) {
        const k = nearest[j]
        count[k]++
        for (let d = 0; d < D; d++) sum[k * D + d] += a[j * D + d]
      }
    }
    // Empty clusters keep their previous position.
    for (let k = 0; k < P; k++) if (count[k]) for (let d = 0; d < D; d++) c[k * D + d] = sum[k * D + d] / count[k]
  }
}
