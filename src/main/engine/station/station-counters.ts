// Live figures of a station: pass/review/fail totals, images per second, latency percentiles.

/** What a station shows: totals since its log began, speed and latency of this session. */
export interface StationCounters {
  pass: number
  review: number
  fail: number
  unreadable: number
  /** parts scored since this start */
  session: number
  /** files found complete but not scored yet, and when they will be at the current speed */
  waiting: number
  etaSeconds: number | null
  /** parts per second over the last `windowSeconds` (or since the first part, if later) */
  imagesPerSecond: number
  /** file complete -> verdict recorded, over the last 500 parts of this session; null before the first */
  latencyP50Ms: number | null
  latencyP95Ms: number | null
}

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
  private session = 0
  private firstAt: number | null = null

  constructor(
    private readonly totals: { pass: number; review: number; fail: number; unreadable: number },
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one scored part (the totals object is the log's and already counts it). */
  scored(latencyMs: number): void {
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
    }
  }
}
