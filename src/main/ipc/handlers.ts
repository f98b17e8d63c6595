// Main-process handlers for the IPC contract: plain functions, so Electron, the browser bridge and tests share them.
import type { InvokeChannel, InvokeReturn, IpcResult } from '../../shared/ipc/invoke-map'
import { isInvokeChannel } from '../../shared/ipc/invoke-map'
import { ArgumentError, parseInvokeArg } from '../../shared/ipc/invoke-args'
import { errorCode } from '../engine/util/errors'
import { WorkspaceRequestError } from '../workspace/products'
import type { HandlerMap } from './handler-types'
import { createProductHandlers, type ProductHandlerContext } from './product-handlers'
import { createRunHandlers, type RunHandlerContext } from './run-handlers'
import { createBackboneHandlers, type BackboneHandlerContext } from './backbone-handlers'
import { createReviewHandlers, type ReviewHandlerContext } from './review-handlers'
import { createCalibrationHandlers, type CalibrationHandlerContext } from './calibration-handlers'
import { createStationHandlers, type StationHandlerContext } from './station-handlers'
import { createTrainingHandlers, type TrainingHandlerContext } from './training-handlers'
import { createFleetHandlers, type FleetHandlerContext } from './fleet-handlers'
import { InvalidArgument } from './validate'

/** One handler per declared channel (the type makes a missing one a compile error). */
export type Handlers = HandlerMap<InvokeChannel>

/** Everything the handlers need. */
export type HandlerContext = ProductHandlerContext & RunHandlerContext & BackboneHandlerContext & ReviewHandlerContext & CalibrationHandlerContext & StationHandlerContext & TrainingHandlerContext & FleetHandlerContext

/** Builds the handlers; the dispatcher validates their arguments at run time because the renderer is untrusted. */
export function createHandlers(ctx: HandlerContext): Handlers {
  return { ...createProductHandlers(ctx), ...createRunHandlers(ctx), ...createBackboneHandlers(ctx), ...createReviewHandlers(ctx), ...createCalibrationHandlers(ctx), ...createStationHandlers(ctx), ...createTrainingHandlers(ctx), ...createFleetHandlers(ctx) }
}

/** Checks the argument against its channel's schema, runs the handler and wraps its outcome in the IpcResult envelope with the error's code; never throws. */
export function createDispatch(handlers: Handlers) {
  return async function dispatch<C extends InvokeChannel>(channel: C, arg: unknown): Promise<IpcResult<InvokeReturn<C>>> {
    if (!isInvokeChannel(channel)) return { ok: false, error: { code: 'not-found', message: `unknown channel ${String(channel)}` } }
    const handler = handlers[channel] as (a: unknown) => Promise<InvokeReturn<C>>
    try {
      return { ok: true, value: await handler(parseInvokeArg(channel, arg)) }
    } catch (err) {
      const code = err instanceof ArgumentError || err instanceof InvalidArgument || err instanceof WorkspaceRequestError ? 'invalid-argument' : errorCode(err)
      return { ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } }
    }
  }
}
