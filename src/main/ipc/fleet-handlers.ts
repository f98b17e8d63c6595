// Handlers for the fleet: the stations writing to the workspace, and pushing a model to one.
import type { StationStore } from '../workspace/stations'
import type { HandlerMap } from './handler-types'

/** What the fleet handlers need. */
export interface FleetHandlerContext {
  fleet: StationStore
}

/** Builds the fleet handlers. */
export function createFleetHandlers(ctx: FleetHandlerContext): HandlerMap<'fleet:list' | 'fleet:push'> {
  return {
    'fleet:list': async () => ctx.fleet.list(),
    'fleet:push': async ({ stationId, runId }) => ctx.fleet.push(stationId, runId),
  }
}
