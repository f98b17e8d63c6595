// Shared shape of long-running engine jobs: cancellation, progress events and ETA.
import type { StageProgress } from '../../../shared/models/progress'

/** A progress event with a stage tag; `done`/`total` count work units, `etaSeconds` is null until known. */
export type ProgressEvent = StageProgress

/** Options every long engine job takes. `P` is the job's own tagged union of progress objects. */
export interface JobOptions<P = ProgressEvent> {
  signal?: AbortSignal
  onProgress?: (event: P) => void
}

/** Raised when a job stops because its AbortSignal fired; callers can tell it apart from failures. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message)
    this.name = 'CancelledError'
  }
}

/** Throws CancelledError if the signal has fired; call between work units. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError()
}

/**
 * Tracks done/total units and estimates the remaining time from the mean rate so far.
 * The first unit is excluded from the rate because it carries warm-up cost (wasm compile, caches).
 */
export class EtaTracker {
  private firstUnitAt: number | null = null
  private firstUnitCount = 0

  constructor(
    readonly stage: string,
    readonly total: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the progress event for `done` units finished. */
  update(done: number, message?: string): ProgressEvent {
    const t = this.now()
    if (this.firstUnitAt === null && done > 0) {
      this.firstUnitAt = t
      this.firstUnitCount = done
    }
    let eta: number | null = null
    if (this.firstUnitAt !== null && done > this.firstUnitCount) {
      const rate = (done - this.firstUnitCount) / Math.max(1, t - this.firstUnitAt)
      eta = (this.total - done) / rate / 1000
    } else if (this.firstUnitAt !== null && done >= this.total) {
      eta = 0
    }
    return { kind: 'progress', stage: this.stage, done, total: this.total, etaSeconds: eta, message }
  }
}
