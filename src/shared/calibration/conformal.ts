// Finite-sample false-reject thresholds (conformal order statistic) and Clopper-Pearson intervals, shared by engine and app.
import type { CalibratedLevel } from '../models/calibration'
import { nextUp } from '../review/threshold-stats'

/**
 * The ceil((n + 1)(1 - a))-th smallest of n calibration scores. For a new good part exchangeable with them,
 * P(score > s_(k)) <= (n + 1 - k) / (n + 1) <= a, so flagging at nextUp(s_(k)) promises at most `a` false
 * rejects. When k would exceed n, no threshold can promise `a`: the largest score is used and the bound is
 * 1 / (n + 1).
 */
export function orderStatisticLevel(scores: ArrayLike<number>, target: number): CalibratedLevel {
  const n = scores.length
  if (n === 0) throw new Error('calibration needs scores of good images the model did not train on')
  const sorted = Float64Array.from(scores).sort()
  // The tolerance keeps (n + 1)(1 - a) = 99.000000001 from rounding up to 100.
  const wanted = Math.ceil((n + 1) * (1 - target) - 1e-9)
  const k = Math.min(n, Math.max(1, wanted))
  const value = nextUp(sorted[k - 1])
  let over = 0
  for (let i = 0; i < n; i++) if (sorted[i] >= value) over++
  return { target, value, k, bound: (n + 1 - k) / (n + 1), supportable: wanted <= n, observed: over / n, interval: clopperPearson(over, n) }
}

/** log of n choose x. */
function logChoose(n: number, x: number): number {
  let s = 0
  for (let i = 1; i <= x; i++) s += Math.log(n - x + i) - Math.log(i)
  return s
}

/** P(X <= x) for X ~ Binomial(n, p). */
export function binomialCdf(x: number, n: number, p: number): number {
  if (x < 0) return 0
  if (x >= n) return 1
  if (p <= 0) return 1
  if (p >= 1) return 0
  let sum = 0
  for (let i = 0; i <= x; i++) sum += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p))
  return Math.min(1, sum)
}

/** The p in [0, 1] where a monotone function f crosses `level` (bisection to ~1e-15). */
function solve(f: (p: number) => number, level: number, increasing: boolean): number {
  let lo = 0
  let hi = 1
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (f(mid) < level === increasing) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Exact (Clopper-Pearson) two-sided interval for x successes in n trials at `confidence`. */
export function clopperPearson(x: number, n: number, confidence = 0.95): [number, number] {
  if (n <= 0) return [0, 1]
  const a = (1 - confidence) / 2
  // lower: P(X >= x | p) = a (increasing in p); upper: P(X <= x | p) = a (decreasing in p).
  const lower = x === 0 ? 0 : solve((p) => 1 - binomialCdf(x - 1, n, p), a, true)
  const upper = x === n ? 1 : solve((p) => binomialCdf(x, n, p), a, false)
  return [lower, upper]
}

/** Whether good parts of an evaluation score like the calibration images (the bound assumes they do). */
export interface DriftCheck {
  calibrationImages: number
  goodImages: number
  /** share of (good, calibration) pairs in which the good part scores higher; 0.5 when they are alike */
  higherShare: number
  /** one-sided Mann-Whitney p-value for "the good parts score higher" (normal approximation with tie correction) */
  pValue: number
  /** true when p < 0.01: the stated false-reject bound should not be relied on for these parts */
  shifted: boolean
}

/** Standard normal upper tail, P(Z > z) (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
function normalUpperTail(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2)
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2)
  return z >= 0 ? (1 - erf) / 2 : (1 + erf) / 2
}

/**
 * Compares an evaluation's good-part scores with the calibration scores: the conformal bound holds for new
 * parts exchangeable with the calibration images, so a significant shift upwards means it may not hold here.
 */
export function driftCheck(calibration: ArrayLike<number>, good: ArrayLike<number>): DriftCheck | null {
  const n = calibration.length
  const m = good.length
  if (n < 2 || m < 2) return null
  const all = [...Array.from(calibration, (v) => ({ v, g: 0 })), ...Array.from(good, (v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v)
  let rankSum = 0
  let tieTerm = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j < all.length && all[j].v === all[i].v) j++
    const rank = (i + j + 1) / 2
    for (let k = i; k < j; k++) if (all[k].g) rankSum += rank
    tieTerm += (j - i) ** 3 - (j - i)
    i = j
  }
  const u = rankSum - (m * (m + 1)) / 2
  const N = n + m
  const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)))
  const z = variance > 0 ? (u - (n * m) / 2 - 0.5) / Math.sqrt(variance) : 0
  const pValue = normalUpperTail(z)
  return { calibrationImages: n, goodImages: m, higherShare: u / (n * m), pValue, shifted: pValue < 0.01 }
}
