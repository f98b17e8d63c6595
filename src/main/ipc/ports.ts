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
  start(runId: string, dir: string, sort: boolean, line?: import('../../shared/models/line-messages').LineChoice): Promise<StationStatus>
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

/** A product's confirmed-good training images: the training rule and the image checks live behind this. */
export interface TrainingSetControl {
  addGood(productId: string, paths: readonly string[], by: string): Promise<{ added: number; total: number; refused: { path: string; reason: string }[] }>
  removeGood(productId: string, paths: readonly string[]): { removed: number; total: number }
}

/** An evaluation's review folder as the review screen reads it. */
export interface ReviewFolderReader {
  review(evaluationId: string): Promise<ReviewSummary>
  thumbs(evaluationId: string, indices: readonly number[], levels?: import('../../shared/review/overlay').OverlayLevels): Promise<Record<number, string>>
  image(evaluationId: string, index: number): Promise<import('../../shared/models/review').ReviewImage>
}

/** A product's data sets: thumbnails (decoded in the worker) and saving a checked folder. */
export interface DatasetControl {
  thumbnails(dir: string, category: string | undefined, perType: number): Promise<{ defectType: string; split: string; path: string; url: string }[]>
  save(productId: string, jobId: string, copy: boolean): Promise<import('../../shared/models/workspace').DatasetRecord>
  referencePhoto(datasetId: string): Promise<{ path: string; photo: import('../../shared/models/review').ReviewPhoto; width: number; height: number }>
}

/** The backbone weight store: options per architecture, imports. */
export interface BackboneControl {
  list(): Promise<import('../../shared/models/workspace').BackboneOption[]>
  import(path: string, arch?: import('../../shared/models/pbas-config').BackboneArch): Promise<import('../../shared/models/workspace').BackboneOption>
}
