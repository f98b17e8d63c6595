// Handlers for the inspection station and the ONNX export of a run's model.
import { join, resolve } from 'node:path'
import type { RunStore } from '../workspace/runs'
import type { HandlerMap } from './handler-types'
import type { JobsControl, StationControl } from './ports'
import { InvalidArgument, object, optionalString, requireString } from './validate'

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
  const stationId = (arg: unknown) => requireString(object(arg, '{ stationId }').stationId, 'stationId')
  return {
    'runs:export': async (arg) => {
      const a = object(arg, '{ runId, dir? }')
      const run = ctx.runs.get(requireString(a.runId, 'runId'))
      if (run.state !== 'succeeded') throw new InvalidArgument(`run ${run.id} is ${run.state}; only a finished run has a model to export`)
      const chosen = optionalString(a.dir, 'dir')
      if (!chosen && !ctx.workspace) throw new InvalidArgument('choose a folder for the export (this app has no workspace folder)')
      const dir = chosen ? resolve(chosen) : join(ctx.workspace!, 'exports', run.id)
      return { jobId: ctx.runner.submit({ kind: 'export', model: run.modelDir, out: dir }).id, dir }
    },
    'stations:start': async (arg) => {
      const a = object(arg, '{ runId, dir, sort? }')
      if (a.sort !== undefined && typeof a.sort !== 'boolean') throw new InvalidArgument('sort must be true or false')
      return ctx.stationService.start(requireString(a.runId, 'runId'), requireString(a.dir, 'dir'), a.sort === true)
    },
    'stations:pause': async (arg) => ctx.stationService.pause(stationId(arg)),
    'stations:resume': async (arg) => ctx.stationService.resume(stationId(arg)),
    'stations:stop': async (arg) => ctx.stationService.stop(stationId(arg)),
    'stations:status': async () => ctx.stationService.status(),
    'stations:recalibrate': async (arg) => ctx.stationService.recalibrate(stationId(arg), ctx.reviewer),
  }
}
