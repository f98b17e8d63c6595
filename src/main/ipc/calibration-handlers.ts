// Handlers for a run's model calibration: list revisions, recalibrate (a job), pick a revision.
import type { ModelCalibrations } from '../../shared/ipc/invoke-map'
import { revisionInfo, selectRevision } from '../engine/pipeline/recalibrate'
import { readModelMeta, type ModelMeta } from '../engine/model/model-file'
import type { RunStore } from '../workspace/runs'
import type { HandlerMap } from './handler-types'
import type { ReviewControl } from './ports'
import { InvalidArgument, finite, object, optionalString, requireString } from './validate'

type CalibrationChannel = 'calibrations:list' | 'calibrations:start' | 'calibrations:select'

/** What the calibration handlers need. */
export interface CalibrationHandlerContext {
  runs: RunStore
  reviewService: ReviewControl
  /** who recalibrations are recorded as */
  reviewer: string
}

function calibrations(meta: ModelMeta): ModelCalibrations {
  return {
    active: meta.calibrations?.active ?? null,
    revisions: (meta.calibrations?.revisions ?? []).map(revisionInfo),
    band: meta.thresholds.band,
    source: meta.thresholds.source,
    calibration: meta.thresholds.calibration ?? null,
  }
}

/** Builds the calibration handlers. */
export function createCalibrationHandlers(ctx: CalibrationHandlerContext): HandlerMap<CalibrationChannel> {
  const finishedModel = (arg: unknown) => {
    const run = ctx.runs.get(requireString(object(arg, '{ runId }').runId, 'runId'))
    if (run.state !== 'succeeded') throw new InvalidArgument(`run ${run.id} is ${run.state}; only finished runs have a model`)
    return run.modelDir
  }
  return {
    'calibrations:list': async (arg) => calibrations(await readModelMeta(finishedModel(arg))),
    'calibrations:start': async (arg) => {
      const a = object(arg, '{ runId, evaluationId? | dir?, replace? }')
      const evaluationId = optionalString(a.evaluationId, 'evaluationId')
      const dir = optionalString(a.dir, 'dir')
      if (!evaluationId === !dir) throw new InvalidArgument('give either evaluationId (its confirmed-good parts) or dir (a folder of good parts)')
      const from = evaluationId ? { evaluationId } : { dir: dir! }
      return ctx.reviewService.recalibrate(requireString(a.runId, 'runId'), from, ctx.reviewer, a.replace === true)
    },
    'calibrations:select': async (arg) => {
      const a = object(arg, '{ runId, revision }')
      return calibrations(await selectRevision(finishedModel(a), finite(a.revision, 'revision', 1)))
    },
  }
}
