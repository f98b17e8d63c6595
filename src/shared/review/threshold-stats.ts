// Threshold arithmetic shared by the engine, the review screens and reports: decisions, confusion, histogram, FPR target.
import type { ChosenThreshold } from '../models/review'

/** A labelled score; label null when the image is unlabelled. */
export interface LabelledScore {
  score: number
  label: 'good' | 'defect' | null
}

/** Outcome of flagging every score >= threshold, against labels where they exist. */
export interface Confusion {
  /** defective and flagged */
  tp: number
  /** good but flagged (false rejects) */
  fp: number
  /** good and passed */
  tn: number
  /** defective but passed (escapes) */
  fn: number
  flagged: number
  /** images in the review band [review, threshold) */
  inReview: number
  precision: number | null
  recall: number | null
  /** share of good parts rejected */
  falseRejectRate: number | null
}

/** Decision on one score: fail at or above `threshold`, review in [review, threshold), pass below. */
export function decisionAt(score: number, threshold: number, review = threshold): 'pass' | 'review' | 'fail' {
  return score >= threshold ? 'fail' : score >= review ? 'review' : 'pass'
}

/** The threshold a reviewer saved, else the model's own band (its fail and review levels from good images). */
export function chosenOrModelThreshold(saved: ChosenThreshold | undefined, model: { band: { review: number; fail: number } }): ChosenThreshold {
  return saved ?? { mode: 'fpr', value: model.band.fail, review: model.band.review }
}

/** Confusion matrix, precision, recall and false-reject rate at a threshold, plus the review band count. */
export function confusionAt(items: readonly LabelledScore[], threshold: number, review = threshold): Confusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0, flagged: 0, inReview: 0 }
  for (const x of items) {
    const d = decisionAt(x.score, threshold, review)
    const flagged = d === 'fail'
    if (flagged) c.flagged++
    else if (d === 'review') c.inReview++
    if (x.label === 'defect') flagged ? c.tp++ : c.fn++
    else if (x.label === 'good') flagged ? c.fp++ : c.tn++
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null)
  return { ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn), falseRejectRate: ratio(c.fp, c.fp + c.tn) }
}

/** The smallest float32 strictly greater than x (so "score >= t" excludes x itself). */
export function nextUp(x: number): number {
  const f = new Float32Array([x])
  const u = new Int32Array(f.buffer)
  if (x === 0) u[0] = 1
  else u[0] += x > 0 ? 1 : -1
  return f[0]
}

/**
 * Lowest threshold at which at most `rate` of the good scores are rejected; ties are never split
 * (a tied score is rejected together). Returns the threshold and the rate it achieves.
 */
export function falseRejectThreshold(goodScores: ArrayLike<number>, rate: number): { value: number; achieved: number } {
  if (goodScores.length === 0) throw new Error('the false-reject target needs scores of good images')
  const sorted = Array.from(goodScores).sort((a, b) => b - a)
  const allowed = Math.floor(rate * sorted.length + 1e-9)
  const value = allowed >= sorted.length ? sorted[sorted.length - 1] : nextUp(sorted[allowed])
  return { value, achieved: sorted.filter((s) => s >= value).length / sorted.length }
}

/** Histogram bins over [lo, hi]: counts per class (unlabelled images count as 'other'). */
export interface Histogram {
  lo: number
  hi: number
  edges: number[]
  good: number[]
  defect: number[]
  other: number[]
}

/** Bins the scores into `bins` equal-width bins spanning all scores (a little margin on each side). */
export function scoreHistogram(items: readonly LabelledScore[], bins = 30): Histogram {
  const scores = items.map((x) => x.score)
  const min = scores.length ? Math.min(...scores) : 0
  const max = scores.length ? Math.max(...scores) : 1
  const pad = (max - min || 1) * 0.02
  const lo = min - pad
  const hi = max + pad
  const width = (hi - lo) / bins
  const h: Histogram = { lo, hi, edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), good: new Array(bins).fill(0), defect: new Array(bins).fill(0), other: new Array(bins).fill(0) }
  for (const x of items) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((x.score - lo) / width)))
    ;(x.label === 'good' ? h.good : x.label === 'defect' ? h.defect : h.other)[b]++
  }
  return h
}
