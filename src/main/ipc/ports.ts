// What the handlers need from the app's services, as narrow interfaces: ipc/ depends on them, app/ implements them.
import type { EvaluationRecord, ReviewSummary } from '../../shared/models/review'
import type { RunRecord } from '../../shared/models/workspace'
import type { PlotStage } from '../../shared/models/feature-plot'
import type { JobInfo, JobRequest } from '../../shared/models/job'
import type { ReportFiles } from '../../shared/ipc/invoke-map'

/** Training runs: start (resolving the configuration once), cancel, resume. */
export interface RunsControl {
  start(productId: string, datasetId: string, preset: string, overrides: Record<string, unknown>): RunRecord
  cancel(runId: string): boolean
  resume(runId: string, restart?: boolean): RunRecord
}

/** Evaluations and plots of finished runs. */
export interface ReviewControl {
  evaluate(runId: string, dir?: string, category?: string): { evaluation: EvaluationRecord; jobId: string }
  cancel(evaluationId: string): boolean
  plot(runId: string, stage: PlotStage): { jobId: string }
  /** Recalibrates a finished run's model from a folder evaluation's confirmed-good parts or a folder of good parts. */
  recalibrate(runId: string, from: { evaluationId: string } | { dir: string }, by: string, replace: boolean): Promise<{ jobId: string }>
}

/** The job runner as handlers see it. */
export interface JobsControl {
  submit(request: JobRequest): JobInfo
  cancel(id: string): boolean
  get(id: string): JobInfo | undefined
}

/** Writes a report for an evaluation (HTML, CSV, PDF when a printer exists). */
export type ReportWriter = (evaluationId: string, pdf: boolean) => Promise<ReportFiles>

/** Reads a finished evaluation's review.json (without its items). */
export type ReviewReader = (dir: string) => Promise<Omit<ReviewSummary, 'items'>>
