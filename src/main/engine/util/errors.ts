// Error kinds of the engine: what the user gave was wrong or missing (input) versus the engine failing; codes for every boundary.
import type { ErrorCode, JobError } from '../../../shared/models/job'
import { CancelledError } from './job'

/** Caused by what the user gave (a file, a folder, a setting); the message names it and says what to do. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid-input' | 'not-found' = 'invalid-input',
  ) {
    super(message)
    this.name = 'InputError'
  }
}

/** The code an error travels with: cancelled, the user's input (invalid or missing), or an engine failure. */
export function errorCode(err: unknown): ErrorCode {
  if (err instanceof CancelledError) return 'cancelled'
  if (err instanceof InputError) return err.code
  return 'engine'
}

/** An error as it crosses the worker and IPC boundaries. */
export function toJobError(err: unknown): JobError {
  return { code: errorCode(err), message: err instanceof Error ? err.message : String(err) }
}

/** The inverse of {@link toJobError}: an error from the worker as one of ours again, so its code survives the next boundary. */
export function fromJobError(e: JobError): Error {
  if (e.code === 'cancelled') return new CancelledError()
  if (e.code === 'invalid-input' || e.code === 'not-found') return new InputError(e.message, e.code)
  return new Error(e.message)
}
