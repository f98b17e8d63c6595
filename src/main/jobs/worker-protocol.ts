// Messages between the job runner (main thread) and the engine worker thread, typed by the job map.
import type { JobError, JobOutcome, JobRequest, JobUpdate } from '../../shared/models/job'

/** main -> worker */
export type ToWorker = { type: 'start'; jobId: string; request: JobRequest } | { type: 'cancel'; jobId: string }

/** worker -> main: progress and outcome carry their job's kind, so the runner forwards them untouched. */
export type FromWorker =
  | { type: 'progress'; jobId: string; update: JobUpdate }
  | { type: 'done'; jobId: string; outcome: JobOutcome }
  | { type: 'failed'; jobId: string; error: JobError }
