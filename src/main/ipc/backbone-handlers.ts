// Handlers for backbone weights: what is stored, import from a file, download as a job.
import type { HandlerMap } from './handler-types'
import type { BackboneControl, JobsControl } from './ports'

type BackboneChannel = 'backbones:list' | 'backbones:import' | 'backbones:fetch'

/** What the backbone handlers need. */
export interface BackboneHandlerContext {
  runner: JobsControl
  backbones: BackboneControl
}

/** Builds the backbone handlers. */
export function createBackboneHandlers(ctx: BackboneHandlerContext): HandlerMap<BackboneChannel> {
  return {
    'backbones:list': async () => ctx.backbones.list(),
    'backbones:import': async ({ path, arch }) => ctx.backbones.import(path, arch),
    'backbones:fetch': async ({ arch }) => ({ jobId: ctx.runner.submit({ kind: 'backbone-fetch', arch }).id }),
  }
}
