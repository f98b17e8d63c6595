// The label-free fail level: an exponential (extreme-value) model of the calibration scores' upper tail, in logit space.
import type { TailLevel } from '../models/calibration'

/** Exceedance probability the fail level is set at: about one good part in a thousand would fail (an estimate). */
export const TAIL_EXCEEDANCE = 0.001

// float32 probabilities stop before 1 - 6e-8; clamping a little further keeps logit(1) finite without tying real scores.
const EPS = 1e-9

/**
 * Score -> logit. Scores are sigmoid outputs that saturate near 1 (held-out goods at 0.9995 on some products):
 * 0.9990 and 0.9999 are 2.3 apart in logits but 0.0009 apart as probabilities, so arithmetic on scores (the
 * tail fit, its display) happens on logits. Order statistics and AUROC are the same in both spaces.
 */
export function logit(score: number): number {
  const p = Math.min(1 - EPS, Math.max(EPS, score))
  return Math.log(p / (1 - p))
}

/** Logit -> score (probability), the inverse of `logit`. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

/** How many of n calibration scores the tail model is fitted on: the top third, at least 3 (all of them below 4). */
export function tailCount(n: number): number {
  return Math.min(n, Math.max(3, Math.ceil(n / 3)))
}

/**
 * Fits an exponential tail (a generalised Pareto with shape 0, the stable choice for a handful of points) to
 * the top `tailCount(n)` logit scores above the next one down, u: P(logit > u + t) ~ (m / n) exp(-t / scale).
 * The fail level is where that model puts `exceedance` of good parts above it. It extrapolates beyond the
 * data, so it is an estimate, not a bound: a good part above every calibration image but below this level
 * goes to review, never to fail. The scale has a floor (a tenth of the logit spread, at least 0.05) so tied
 * or saturated scores do not put the level on top of the largest one.
 */
export function tailLevel(scores: ArrayLike<number>, exceedance = TAIL_EXCEEDANCE): TailLevel {
  const n = scores.length
  if (n === 0) throw new Error('the tail level needs scores of good images the model did not train on')
  const x = Float64Array.from(scores, logit).sort()
  const m = tailCount(n)
  // With every score in the tail, u sits one mean gap below the smallest, so the smallest is an exceedance too.
  const u = m < n ? x[n - m - 1] : x[0] - (x[n - 1] - x[0]) / Math.max(1, n - 1)
  let sum = 0
  for (let i = n - m; i < n; i++) sum += x[i] - u
  const spread = x[n - 1] - x[0]
  const scale = Math.max(sum / m, 0.1 * spread, 0.05)
  const t = scale * Math.log(m / n / exceedance)
  const level = Math.max(x[n - 1], u + Math.max(0, t))
  return { exceedance, logit: level, value: sigmoid(level), scale, tailImages: m, threshold: u, estimate: true }
}

/** The tail level in words, the same in the CLI, reports and the app: what it is and that it is an estimate. */
export function describeTail(t: TailLevel, digits = 4): string {
  return `${t.value.toFixed(digits)} (logit ${t.logit.toFixed(2)}): an estimate, not a bound: a model of the calibration scores' upper tail puts about ${(100 * t.exceedance).toFixed(1)} % of good parts above it`
}
