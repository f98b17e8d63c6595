// Forwards the app's events (run progress and state, every job's events) to one sender: Electron windows or the browser bridge.
import type { EventSender } from '../../shared/ipc/event-map'
import type { AppContext } from './app-context'

/** Subscribes `send` to every event channel; returns the unsubscribe function. */
export function forwardEvents(ctx: Pick<AppContext, 'runService' | 'runner' | 'stationService'>, send: EventSender): () => void {
  const offs = [ctx.runService.on((e) => send('runs:event', e)), ctx.runner.on((e) => send('jobs:event', e)), ctx.stationService.on((e) => send('stations:event', e))]
  return () => offs.forEach((off) => off())
}
