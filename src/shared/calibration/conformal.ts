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
