// Handlers for a run's model calibration: list revisions, recalibrate (a job), pick a revision.
import type { ModelCalibrations } from '../../shared/ipc/invoke-map'
import type { HandlerMap } from './handler-types'
import type { ReviewControl } from './ports'

type CalibrationChannel = 'calibrations:list' | 'calibrations:start' | 'calibrations:select'

/** What the calibration handlers need. */
export interface CalibrationHandlerContext {
  reviewService: ReviewControl
  calibrationService: { list(runId: string): Promise<ModelCalibrations>; select(runId: string, revision: number): Promise<ModelCalibrations> }
  /** who recalibrations are recorded as */
  reviewer: string
}

/** Builds the calibration handlers. */
export function createCalibrationHandlers(ctx: CalibrationHandlerContext): HandlerMap<CalibrationChannel> {
  return {
    'calibrations:list': async ({ runId }) => ctx.calibrationService.list(runId),
    // The schema lets exactly one of evaluationId and dir through.
    'calibrations:start': async ({ runId, evaluationId, dir, replace }) =>
      ctx.reviewService.recalibrate(runId, evaluationId ? { evaluationId } : { dir: dir! }, ctx.reviewer, replace === true),
    'calibrations:select': async ({ runId, revision }) => ctx.calibrationService.select(runId, revision),
  }
}
