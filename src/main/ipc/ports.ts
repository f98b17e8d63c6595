// What the handlers need from the app's services, as narrow interfaces: ipc/ depends on them, app/ implements them.
import type { EvaluationRecord, ReviewSummary } from '../../shared/models/review'
import type { RunRecord } from '../../shared/models/workspace'
import type { PlotStage } from '../../shared/models/feature-plot'
import type { JobInfo, JobRequest } from '../../shared/models/job'
import type { ReportFiles } from '../../shared/ipc/invoke-map'
import type { StationStatus } from '../../shared/models/station'
import type { OverlayChoice } from '../../shared/review/overlay'

/** Training runs: start (resolving the configuration once), cancel, resume. */
export interface RunsControl {
  start(productId: string, datasetId: string, preset: string, overrides: Record<string, unknown>, about?: { name?: string; note?: string; estimateSeconds?: number }): RunRecord
  cancel(runId: string): boolean
  resume(runId: string, restart?: boolean): RunRecord
}

/** Evaluations and plots of finished runs. */
export interface ReviewControl {
  evaluate(runId: string, dir?: string, category?: string): { evaluation: EvaluationRecord; jobId: string }
  cancel(evaluationId: string): boolean
  plot(runId: string, stage: PlotStage): { jobId: string }
  /** Recalibrates a finished run's model from a folder evaluation's confirmed-good parts or a folder of good parts. */
  recalibrate(runId: string, from: { evaluationId: string } | { dir: string } | { images: string[]; origin: string }, by: string, replace: boolean): Promise<{ jobId: string }>
}

/** The job runner as handlers see it. */
export interface JobsControl {
  submit(request: JobRequest): JobInfo
  cancel(id: string): boolean
  get(id: string): JobInfo | undefined
}

/** The inspection station: one at a time, started on a finished run's model and a folder. */
export interface StationControl {
  start(runId: string, dir: string, sort: boolean): Promise<StationStatus>
  pause(id: string): StationStatus
  resume(id: string): StationStatus
  stop(id: string): StationStatus
  status(): StationStatus | null
  /** commissioning: applies the proposed recalibration (recorded as `by`); the station restarts with it */
  recalibrate(id: string, by: string): Promise<StationStatus>
  /** a reviewer's verdict on a part of the run: commissioning counts confirmed good parts */
  verdictSet(runId: string, imagePath: string, verdict: string | null): void
}

/** Writes a report for an evaluation (HTML, CSV, PDF when a printer exists). */
export type ReportWriter = (evaluationId: string, pdf: boolean, overlay?: OverlayChoice) => Promise<ReportFiles>

/** Reads a finished evaluation's review.json (without its items). */
export type ReviewReader = (dir: string) => Promise<Omit<ReviewSummary, 'items'>>
