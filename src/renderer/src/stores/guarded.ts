// Shared store helpers: run an API call and turn a failure into the store's visible message, worded by its code.
import type { Ref } from 'vue'
import type { JobError } from '../../../shared/models/job'
import { ApiError } from '../api'

/** How a failure reads in the app: the engine's message, framed by what kind of failure it is. */
export function describeError(e: JobError): string {
  switch (e.code) {
    case 'cancelled':
      return 'Cancelled.'
    case 'not-found':
      return `Not found: ${e.message}`
    case 'engine':
      return `The engine failed: ${e.message} (a fault in PBAS Inspect, not in your data; please report it)`
    default:
      // invalid-argument and invalid-input messages already say what was wrong and what to do.
      return e.message
  }
}

/** Returns a runner that clears `error`, sets `busy` while running, and stores the description of a failure. */
export function guarded(error: Ref<string | null>, busy?: Ref<boolean>) {
  return async function run<T>(f: () => Promise<T>): Promise<T | undefined> {
    if (busy) busy.value = true
    error.value = null
    try {
      return await f()
    } catch (err) {
      error.value = err instanceof ApiError ? describeError(err.error) : err instanceof Error ? err.message : String(err)
      return undefined
    } finally {
      if (busy) busy.value = false
    }
  }
}
