// Handlers for training runs: list, start (preset + overrides), cancel, resume, per-epoch figures.
import { ConfigError, PRESETS } from '../engine/pbas/config'
import type { RunStore } from '../workspace/runs'
import type { HandlerMap } from './handler-types'
import type { RunsControl } from './ports'
import { InvalidArgument, object, requireString } from './validate'

type RunChannel = 'runs:list' | 'runs:start' | 'runs:cancel' | 'runs:resume' | 'runs:epochs'

/** What the run handlers need. */
export interface RunHandlerContext {
  runs: RunStore
  runService: RunsControl
}

function overrides(v: unknown): Record<string, string | number | boolean> {
  if (v === undefined) return {}
  const out: Record<string, string | number | boolean> = {}
  for (const [k, x] of Object.entries(object(v, 'overrides as { key: value }'))) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') throw new InvalidArgument(`override ${k} must be a string, number or boolean`)
    out[k] = x
  }
  return out
}

/** Builds the run handlers. */
export function createRunHandlers(ctx: RunHandlerContext): HandlerMap<RunChannel> {
  return {
    'runs:list': async (arg) => ctx.runs.list(requireString(object(arg, '{ productId }').productId, 'productId')),
    'runs:start': async (arg) => {
      const a = object(arg, '{ productId, datasetId, preset, overrides? }')
      const preset = requireString(a.preset, 'preset')
      if (!Object.hasOwn(PRESETS, preset)) throw new InvalidArgument(`preset must be one of ${Object.keys(PRESETS).join(', ')}`)
      const o = overrides(a.overrides)
      try {
        // The service resolves (and so validates) the configuration once; a bad setting is this request's fault.
        return ctx.runService.start(requireString(a.productId, 'productId'), requireString(a.datasetId, 'datasetId'), preset, o)
      } catch (err) {
        if (err instanceof ConfigError) throw new InvalidArgument(err.message)
        throw err
      }
    },
    'runs:cancel': async (arg) => ctx.runService.cancel(requireString(object(arg, '{ runId }').runId, 'runId')),
    'runs:resume': async (arg) => {
      const a = object(arg, '{ runId, restart? }')
      return ctx.runService.resume(requireString(a.runId, 'runId'), a.restart === true)
    },
    'runs:epochs': async (arg) => ctx.runs.epochs(requireString(object(arg, '{ runId }').runId, 'runId')),
  }
}
