// Decision thresholds: F1-max (needs labels), a false-reject target on good parts, and a review band.
import { sweep } from './ranking'
import { decisionAt, falseRejectThreshold } from '../../../shared/review/threshold-stats'

export { nextUp } from '../../../shared/review/threshold-stats'

/** A part is flagged when its score >= threshold. */
export interface Threshold {
  mode: 'f1-max' | 'fpr' | 'manual'
  value: number
  /** F1 at the threshold (f1-max), or the false-reject rate on the good images used (fpr) */
  achieved: number
}

/** Threshold that maximises F1 over all distinct scores (labels: 1 = defective). */
export function f1MaxThreshold(scores: Float32Array, labels: ArrayLike<number>): Threshold {
  const s = sweep(scores, (i) => labels[i] > 0)
  if (s.positives === 0) throw new Error('F1-max needs at least one defective image; use the false-reject target instead')
  let best = { value: s.thresholds[0], achieved: -1 }
  for (let k = 0; k < s.tp.length; k++) {
    const f1 = (2 * s.tp[k]) / (s.tp[k] + s.fp[k] + s.positives)
    if (f1 > best.achieved) best = { value: s.thresholds[k], achieved: f1 }
  }
  return { mode: 'f1-max', ...best }
}

/**
 * Lowest threshold at which at most `rate` of the given good images would be rejected (needs no defect
 * labels: what a quality engineer has on day one). Ties are never split: a tied score is rejected together.
 */
export function fprThreshold(goodScores: Float32Array, rate = 0.01): Threshold {
  return { mode: 'fpr', ...falseRejectThreshold(goodScores, rate) }
}

/** Pass below `review`, review in [review, fail), fail at or above `fail`. */
export interface ReviewBand {
  review: number
  fail: number
}

/** Band from two false-reject targets on good images, e.g. fail at 1 %, review from 5 %. */
export function reviewBand(goodScores: Float32Array, failRate = 0.01, reviewRate = 0.05): ReviewBand {
  if (reviewRate < failRate) throw new Error('the review rate must be at least the fail rate')
  return { review: fprThreshold(goodScores, reviewRate).value, fail: fprThreshold(goodScores, failRate).value }
}

/** Verdict of one score under a band. */
export function verdict(score: number, band: ReviewBand): 'pass' | 'review' | 'fail' {
  return decisionAt(score, band.fail, band.review)
}
