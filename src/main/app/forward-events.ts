// Forwards the app's events (run progress and state, every job's events) to one sender: Electron windows or the browser bridge.
import type { EventSender } from '../../shared/ipc/event-map'
import type { AppContext } from './app-context'

/** Subscribes `send` to every event channel; returns the unsubscribe function. */
export function forwardEvents(ctx: Pick<AppContext, 'runService' | 'runner'>, send: EventSender): () => void {
  const offRuns = ctx.runService.on((e) => send('runs:event', e))
  const offJobs = ctx.runner.on((e) => send('jobs:event', e))
  return () => {
    offRuns()
    offJobs()
  }
}
