// Shared store helper: runs an API call, turns a thrown error into the store's visible error message.
import type { Ref } from 'vue'

/** Returns a runner that clears `error`, sets `busy` while running, and stores the message of a failure. */
export function guarded(error: Ref<string | null>, busy?: Ref<boolean>) {
  return async function run<T>(f: () => Promise<T>): Promise<T | undefined> {
    if (busy) busy.value = true
    error.value = null
    try {
      return await f()
    } catch (err) {
      error.value = (err as Error).message
      return undefined
    } finally {
      if (busy) busy.value = false
    }
  }
}
