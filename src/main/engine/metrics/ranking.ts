// AUROC and average precision exactly as scikit-learn computes them (ties grouped by threshold).
import { argsortDescending } from './argsort'

/** Positives/negatives accumulated at each distinct score, from the highest score down. */
export interface Sweep {
  /** cumulative true positives after each distinct-score group */
  tp: Float64Array
  /** cumulative false positives after each distinct-score group */
  fp: Float64Array
  /** the group's score (the threshold "score >= t") */
  thresholds: Float32Array
  positives: number
  negatives: number
}

/** Groups sorted scores into distinct thresholds; `isPositive(i)` labels element i. */
export function sweep(scores: Float32Array, isPositive: (i: number) => boolean): Sweep {
  const order = argsortDescending(scores)
  const tp: number[] = []
  const fp: number[] = []
  const th: number[] = []
  let t = 0
  let f = 0
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    if (isPositive(i)) t++
    else f++
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) {
      tp.push(t)
      fp.push(f)
      th.push(scores[i])
    }
  }
  return { tp: Float64Array.from(tp), fp: Float64Array.from(fp), thresholds: Float32Array.from(th), positives: t, negatives: f }
}

/** Area under the ROC curve (trapezoids between distinct thresholds); NaN when a class is missing. */
export function aurocFromSweep(s: Sweep): number {
  if (s.positives === 0 || s.negatives === 0) return NaN
  let area = 0
  let px = 0
  let py = 0
  for (let k = 0; k < s.tp.length; k++) {
    const x = s.fp[k] / s.negatives
    const y = s.tp[k] / s.positives
    area += ((x - px) * (y + py)) / 2
    px = x
    py = y
  }
  return area
}

/** sklearn's average_precision_score: sum over thresholds of (R_k - R_{k-1}) * P_k. */
export function apFromSweep(s: Sweep): number {
  if (s.positives === 0) return NaN
  let ap = 0
  let prevR = 0
  for (let k = 0; k < s.tp.length; k++) {
    const r = s.tp[k] / s.positives
    const p = s.tp[k] / (s.tp[k] + s.fp[k])
    ap += (r - prevR) * p
    prevR = r
  }
  return ap
}

/** AUROC of scores against 0/1 labels. */
export function auroc(scores: Float32Array, labels: ArrayLike<number>): number {
  return aurocFromSweep(sweep(scores, (i) => labels[i] > 0))
}

/** Average precision of scores against 0/1 labels. */
export function averagePrecision(scores: Float32Array, labels: ArrayLike<number>): number {
  return apFromSweep(sweep(scores, (i) => labels[i] > 0))
}
