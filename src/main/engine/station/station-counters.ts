// Live figures of a station: pass/review/fail totals, images per second, latency percentiles, drift of the line.
import { DRIFT_MIN_PASSED, DRIFT_WINDOW, type StationCounters } from '../../../shared/models/station'
import { driftCheck } from '../../../shared/calibration/conformal'

export type { StationCounters }

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (!values.length) return null
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]
}

/** Accumulates parts as they are scored and summarises them on request. */
export class CounterTracker {
  private readonly latencies: number[] = []
  private readonly times: number[] = []
  private readonly passed: number[] = []
  private session = 0
  private firstAt: number | null = null

  constructor(
    private readonly totals: { pass: number; review: number; fail: number; unreadable: number },
    /** scores of the good images behind the model's thresholds; null when they promise no bound */
    private calibration: readonly number[] | null = null,
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {}

  /** Another model took over: drift compares its calibration images with the parts it passes from now on. */
  modelChanged(calibration: readonly number[] | null): void {
    this.calibration = calibration
    this.passed.length = 0
  }

  /** Records one scored part (the totals object is the log's and already counts it). */
  scored(latencyMs: number, part?: { score: number; verdict: 'pass' | 'review' | 'fail' }): void {
    if (part?.verdict === 'pass') {
      this.passed.push(part.score)
      if (this.passed.length > DRIFT_WINDOW) this.passed.shift()
    }
    const t = this.now()
    this.firstAt ??= t
    this.session++
    this.latencies.push(latencyMs)
    if (this.latencies.length > 500) this.latencies.shift()
    this.times.push(t)
    while (this.times.length && this.times[0] < t - this.windowSeconds * 1000) this.times.shift()
  }

  snapshot(waiting: number): StationCounters {
    const t = this.now()
    while (this.times.length && this.times[0] < t - this.windowSeconds * 1000) this.times.shift()
    // Before a full window has passed, divide by the time since the first part (at least 1 s, so one part is no spike).
    const span = this.firstAt === null ? 0 : Math.min(this.windowSeconds, Math.max(1, (t - this.firstAt) / 1000))
    const rate = span > 0 ? this.times.length / span : 0
    return {
      ...this.totals,
      session: this.session,
      waiting,
      etaSeconds: waiting === 0 ? 0 : rate > 0 ? waiting / rate : null,
      imagesPerSecond: rate,
      latencyP50Ms: percentile(this.latencies, 0.5),
      latencyP95Ms: percentile(this.latencies, 0.95),
      drift: this.drift(),
    }
  }

  /**
   * Passed parts against the calibration images. Only passed parts are used, so defects (which fail or go to
   * review) do not raise it; for good parts like the calibration images that truncation can only lower their
   * scores, so a significant "higher" says the line's good parts have moved and the stated bound may not hold.
   */
  private drift(): StationCounters['drift'] {
    if (!this.calibration || this.passed.length < DRIFT_MIN_PASSED) return null
    return driftCheck(this.calibration, this.passed)
  }
}
