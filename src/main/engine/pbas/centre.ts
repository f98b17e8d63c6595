// ABL centre initialisation (Algorithm 1) and the Table VI ablations: average, iterative EMA, k-means.
import * as tf from '@tensorflow/tfjs'
import type { CentreInit } from './config'
import { disposeCentre, nearestCentre, prepareCentre } from './synthesis'
import { centreRule, type MatchRule } from './config-helpers'

/** Matches every row of `a` [P, D] to its nearest row of `c` (computed before any update). */
export async function matchRows(c: Float32Array, a: Float32Array, P: number, D: number, rule: MatchRule): Promise<Int32Array> {
  // Read back asynchronously: a GPU backend (WebGPU) cannot read synchronously.
  const idx = tf.tidy(() => {
    const ct = prepareCentre(tf.tensor2d(c, [P, D]))
    const out = nearestCentre(tf.tensor2d(a, [P, D]), ct, rule)
    disposeCentre(ct)
    return out
  })
  try {
    return Int32Array.from(await idx.data())
  } finally {
    idx.dispose()
  }
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
 * Algorithm 1 (or an ablation) fed one batch mean of projected features ([P, D]) at a time, in loader
 * order, so the means of a large data set are not all held in memory (k-means alone keeps them: its
 * Lloyd iterations revisit every batch).
 */
export class CentreBuilder {
  private c: Float32Array | null = null
  private sum: Float64Array | null = null
  private total = 0
  private readonly kept: Float32Array[] = []
  private readonly identity: Int32Array
  readonly distances: number[] = []

  constructor(
    readonly P: number,
    readonly D: number,
    readonly method: CentreInit,
    readonly beta: number,
    readonly kmeansIters = 10,
    /** a faster matcher with matchRows' rule (the ONNX stepper's); absent: matchRows */
    private readonly match?: (c: Float32Array, a: Float32Array) => Promise<Int32Array>,
  ) {
    this.identity = Int32Array.from({ length: P }, (_, i) => i)
  }

  /** Adds the next batch mean (`weight` = its batch size, used by 'average'); returns its distance to the centre before the update. */
  async add(mean: Float32Array, weight: number): Promise<number> {
    const { P, D, method } = this
    if (method === 'average') {
      const sum = (this.sum ??= new Float64Array(P * D))
      for (let k = 0; k < sum.length; k++) sum[k] += mean[k] * weight
      this.total += weight
      if (!this.distances.length) this.distances.push(0)
      return 0
    }
    if (method === 'kmeans') this.kept.push(mean)
    if (!this.c) {
      this.c = Float32Array.from(mean)
      this.distances.push(0)
      return 0
    }
    const nearest = method === 'iterative' || method === 'kmeans' ? this.identity : await (this.match ? this.match(this.c, mean) : matchRows(this.c, mean, P, D, centreRule({ centreInit: method })))
    const d = meanMatchedDistance(this.c, mean, nearest, D)
    this.distances.push(d)
    if (method !== 'kmeans') emaMatchedRows(this.c, mean, nearest, D, this.beta)
    return d
  }

  /** The centre [P, D] and the distance history. */
  async finish(): Promise<CentreResult> {
    if (this.method === 'average' && this.sum) return { centre: Float32Array.from(this.sum, (v) => v / this.total), distances: this.distances }
    if (!this.c) throw new Error('centre initialisation needs at least one batch')
    if (this.method === 'kmeans') await kmeans(this.c, this.kept, this.P, this.D, this.kmeansIters)
    return { centre: this.c, distances: this.distances }
  }
}

/**
 * Builds the centre from per-batch means of projected features ([P, D] each, in loader order).
 * `weights` are the batch sizes (used by 'average' so every image counts once).
 */
export async function initCentre(means: Float32Array[], weights: number[], P: number, D: number, method: CentreInit, beta: number, kmeansIters = 10): Promise<CentreResult> {
  const b = new CentreBuilder(P, D, method, beta, kmeansIters)
  for (let i = 0; i < means.length; i++) await b.add(means[i], weights[i])
  return b.finish()
}

/** Lloyd iterations with K = P clusters over all batch-mean rows, starting from the first batch's mean. */
async function kmeans(c: Float32Array, means: Float32Array[], P: number, D: number, iters: number): Promise<void> {
  for (let it = 0; it < iters; it++) {
    const sum = new Float64Array(P * D)
    const count = new Int32Array(P)
    for (const a of means) {
      const nearest = await matchRows(c, a, P, D, 'euclidean')
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
