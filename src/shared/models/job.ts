// Jobs as the app sees them: ids, states, requests and the events the job runner emits (plain objects).

/** Lifecycle of a job. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** What a job does; each kind's input is a plain object validated by the worker. */
export type JobRequest =
  | { kind: 'dataset-check'; dir: string; category?: string }
  | {
      kind: 'train'; data: string; category?: string; out: string; config: Record<string, unknown>; featureCacheDir?: string
      /** good images reviewers added to the product's training set */
      extraGood?: string[]
      /** where to write the test split's review after training (when the data set has a test split) */
      reviewDir?: string
    }
  | { kind: 'review'; model: string; data: string; category?: string; out: string; goodTraining: { dir: string; category?: string; extra?: string[] } | null }
  | { kind: 'feature-plot'; modelDir: string; data: string; category?: string; stage: 'initial' | 'checkpoint' | 'final' }
  | { kind: 'eval'; model: string; data: string; category?: string }
  | { kind: 'backbone-fetch'; arch: string }
  /** times a run's pieces at its settings on a few of its images (see engine/pbas/measure-run) */
  | { kind: 'run-estimate'; config: Record<string, unknown>; samples: string[] }
  | { kind: 'sleep'; steps: number; ms: number }

/** Events from the runner: state changes (always delivered) and progress (throttled). */
export type JobEvent =
  | { type: 'state'; jobId: string; state: JobState; error?: string; result?: unknown }
  | { type: 'progress'; jobId: string; progress: Record<string, unknown> }

/** A job's current snapshot. */
export interface JobInfo {
  id: string
  request: JobRequest
  state: JobState
  createdAt: string
  startedAt?: string
  finishedAt?: string
  error?: string
  result?: unknown
  lastProgress?: Record<string, unknown>
}
