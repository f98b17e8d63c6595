// Handlers for training runs: list, start (preset + overrides + name/note), describe, estimate, cancel, resume, epochs.
import { ConfigError, PRESETS } from '../engine/pbas/config'
import type { RunStore } from '../workspace/runs'
import type { EstimateReply } from '../../shared/pbas/estimate'
import type { HandlerMap } from './handler-types'
import type { RunsControl } from './ports'
import { InvalidArgument, finite, object, requireString } from './validate'

type RunChannel = 'runs:list' | 'runs:start' | 'runs:describe' | 'runs:estimate' | 'runs:cancel' | 'runs:resume' | 'runs:epochs'

/** What the run handlers need. */
export interface RunHandlerContext {
  runs: RunStore
  runService: RunsControl
  estimates: { estimate(datasetId: string, preset: string, overrides: Record<string, unknown>, refresh: boolean): Promise<EstimateReply> }
}

/** One override value as the form sends it: a scalar, a list of names (taps), or null (the default). */
type Override = string | number | boolean | string[] | null

function overrides(v: unknown): Record<string, Override> {
  if (v === undefined) return {}
  const out: Record<string, Override> = {}
  for (const [k, x] of Object.entries(object(v, 'overrides as { key: value }'))) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || x === null) out[k] = x
    else if (Array.isArray(x) && x.every((t): t is string => typeof t === 'string')) out[k] = x
    else throw new InvalidArgument(`override ${k} must be a string, number, boolean, list of strings or null`)
  }
  return out
}

function preset(a: Record<string, unknown>): string {
  const p = requireString(a.preset, 'preset')
  if (!Object.hasOwn(PRESETS, p)) throw new InvalidArgument(`preset must be one of ${Object.keys(PRESETS).join(', ')}`)
  return p
}

function optionalText(v: unknown, name: string, max: number): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v.length > max) throw new InvalidArgument(`${name} must be text of at most ${max} characters`)
  return v
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
    'runs:list': async (arg) => ctx.runs.list(requireString(object(arg, '{ productId }').productId, 'productId')),
    'runs:start': async (arg) => {
      const a = object(arg, '{ productId, datasetId, preset, overrides?, name?, note?, estimateSeconds? }')
      const p = preset(a)
      const o = overrides(a.overrides)
      const about = {
        name: optionalText(a.name, 'name', 200)?.trim() || undefined,
        note: optionalText(a.note, 'note', 10_000) || undefined,
        estimateSeconds: a.estimateSeconds === undefined ? undefined : finite(a.estimateSeconds, 'estimateSeconds', 0),
      }
      return asArgument(() => ctx.runService.start(requireString(a.productId, 'productId'), requireString(a.datasetId, 'datasetId'), p, o, about))
    },
    'runs:describe': async (arg) => {
      const a = object(arg, '{ runId, name?, note? }')
      return ctx.runs.describe(requireString(a.runId, 'runId'), { name: optionalText(a.name, 'name', 200), note: optionalText(a.note, 'note', 10_000) })
    },
    'runs:estimate': async (arg) => {
      const a = object(arg, '{ datasetId, preset, overrides?, refresh? }')
      const p = preset(a)
      const o = overrides(a.overrides)
      return asArgument(() => ctx.estimates.estimate(requireString(a.datasetId, 'datasetId'), p, o, a.refresh === true))
    },
    'runs:cancel': async (arg) => ctx.runService.cancel(requireString(object(arg, '{ runId }').runId, 'runId')),
    'runs:resume': async (arg) => {
      const a = object(arg, '{ runId, restart? }')
      return ctx.runService.resume(requireString(a.runId, 'runId'), a.restart === true)
    },
    'runs:epochs': async (arg) => ctx.runs.epochs(requireString(object(arg, '{ runId }').runId, 'runId')),
  }
}
