// Handlers for a run's model calibration: list revisions, recalibrate (a job), pick a revision.
import type { ModelCalibrations } from '../../shared/ipc/invoke-map'
import { revisionInfo, selectRevision } from '../engine/pipeline/recalibrate'
import { readModelMeta, type ModelMeta } from '../engine/model/model-file'
import type { RunStore } from '../workspace/runs'
import type { HandlerMap } from './handler-types'
import type { ReviewControl } from './ports'
import { InvalidArgument } from './validate'

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
  const finishedModel = (runId: string) => {
    const run = ctx.runs.get(runId)
    if (run.state !== 'succeeded') throw new InvalidArgument(`run ${run.id} is ${run.state}; only finished runs have a model`)
    return run.modelDir
  }
  return {
    'calibrations:list': async ({ runId }) => calibrations(await readModelMeta(finishedModel(runId))),
    // The schema lets exactly one of evaluationId and dir through.
    'calibrations:start': async ({ runId, evaluationId, dir, replace }) =>
      ctx.reviewService.recalibrate(runId, evaluationId ? { evaluationId } : { dir: dir! }, ctx.reviewer, replace === true),
    'calibrations:select': async ({ runId, revision }) => calibrations(await selectRevision(finishedModel(runId), revision)),
  }
}
