// Handlers for training runs: list, start (preset + overrides + name/note), describe, estimate, cancel, resume, epochs.
import { ConfigError } from '../engine/pbas/config'
import type { RunStore } from '../workspace/runs'
import type { EstimateReply } from '../../shared/pbas/estimate'
import type { HandlerMap } from './handler-types'
import type { RunsControl } from './ports'
import { InvalidArgument } from './validate'

type RunChannel = 'runs:list' | 'runs:start' | 'runs:describe' | 'runs:estimate' | 'runs:cancel' | 'runs:resume' | 'runs:epochs'

/** What the run handlers need. */
export interface RunHandlerContext {
  runs: RunStore
  runService: RunsControl
  estimates: { estimate(datasetId: string, preset: string, overrides: Record<string, unknown>, refresh: boolean): Promise<EstimateReply> }
}

/** A bad setting is this request's fault: the service resolves (and so validates) the configuration once. */
async function asArgument<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f()
  } catch (err) {
    if (err instanceof ConfigError) throw new InvalidArgument(err.message)
    throw err
  }
}

/** Builds the run handlers. */
export function createRunHandlers(ctx: RunHandlerContext): HandlerMap<RunChannel> {
  return {
    'runs:list': async ({ productId }) => ctx.runs.list(productId),
    'runs:start': async ({ productId, datasetId, preset, overrides = {}, name, note, estimateSeconds }) =>
      asArgument(() => ctx.runService.start(productId, datasetId, preset, overrides, { name: name?.trim() || undefined, note: note || undefined, estimateSeconds })),
    'runs:describe': async ({ runId, name, note }) => ctx.runs.describe(runId, { name, note }),
    'runs:estimate': async ({ datasetId, preset, overrides = {}, refresh }) => asArgument(() => ctx.estimates.estimate(datasetId, preset, overrides, refresh === true)),
    'runs:cancel': async ({ runId }) => ctx.runService.cancel(runId),
    'runs:resume': async ({ runId, restart }) => ctx.runService.resume(runId, restart === true),
    'runs:epochs': async ({ runId }) => ctx.runs.epochs(runId),
  }
}
