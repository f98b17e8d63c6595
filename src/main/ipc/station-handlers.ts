// Handlers for the inspection station and the ONNX export of a run's model.
import { join, resolve } from 'node:path'
import type { RunStore } from '../workspace/runs'
import type { HandlerMap } from './handler-types'
import type { JobsControl, StationControl } from './ports'
import { InvalidArgument } from './validate'

type StationChannel = 'runs:export' | 'stations:start' | 'stations:pause' | 'stations:resume' | 'stations:stop' | 'stations:status' | 'stations:recalibrate'

/** What the station handlers need. */
export interface StationHandlerContext {
  runs: RunStore
  runner: JobsControl
  stationService: StationControl
  workspace?: string
  /** who recalibrations are recorded as */
  reviewer: string
}

/** Builds the station and export handlers. */
export function createStationHandlers(ctx: StationHandlerContext): HandlerMap<StationChannel> {
  return {
    'runs:export': async ({ runId, dir: chosen }) => {
      const run = ctx.runs.get(runId)
      if (run.state !== 'succeeded') throw new InvalidArgument(`run ${run.id} is ${run.state}; only a finished run has a model to export`)
      if (!chosen && !ctx.workspace) throw new InvalidArgument('choose a folder for the export (this app has no workspace folder)')
      const dir = chosen ? resolve(chosen) : join(ctx.workspace!, 'exports', run.id)
      return { jobId: ctx.runner.submit({ kind: 'export', model: run.modelDir, out: dir }).id, dir }
    },
    'stations:start': async ({ runId, dir, sort, line }) => ctx.stationService.start(runId, dir, sort === true, line),
    'stations:pause': async ({ stationId }) => ctx.stationService.pause(stationId),
    'stations:resume': async ({ stationId }) => ctx.stationService.resume(stationId),
    'stations:stop': async ({ stationId }) => ctx.stationService.stop(stationId),
    'stations:status': async () => ctx.stationService.status(),
    'stations:recalibrate': async ({ stationId }) => ctx.stationService.recalibrate(stationId, ctx.reviewer),
  }
}
