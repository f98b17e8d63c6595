// Messages between the job runner (main thread) and the engine worker thread.
import type { JobRequest } from '../../shared/models/job'

/** main -> worker */
export type ToWorker = { type: 'start'; jobId: string; request: JobRequest } | { type: 'cancel'; jobId: string }

/** worker -> main */
export type FromWorker =
  | { type: 'progress'; jobId: string; progress: Record<string, unknown> }
  | { type: 'done'; jobId: string; result: unknown }
  | { type: 'failed'; jobId: string; error: string; cancelled: boolean }
