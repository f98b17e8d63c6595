// Jobs end to end: for each kind its request, progress union and result; the events and errors every layer shares.
import type { DatasetSummary } from './dataset-summary'
import type { FeaturePlot, PlotStage } from './feature-plot'
import type { BackboneArch, PbasConfig, StoredWeights } from './pbas-config'
import type { DownloadProgress, ExportProgress, MeasureProgress, StageProgress, TrainRunProgress } from './progress'
import type { RunCostMeasure } from '../pbas/estimate'
import type { ReviewMetrics, ReviewPhoto, ReviewSummary } from './review'
import type { RecalibrationResult } from './calibration'
import type { StationProgress, StationSummary } from './station'
import type { ExportOutcome } from './export'

/** Lifecycle of a job. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

/** Why a job (or an IPC call) failed, so every layer can show it by kind. */
export type ErrorCode = 'cancelled' | 'invalid-argument' | 'invalid-input' | 'not-found' | 'engine'

/** A failure as it crosses the worker and IPC boundaries. */
export interface JobError {
  code: ErrorCode
  message: string
}

/** What a finished training run reports (its model is in `model`). */
export interface TrainRunResult {
  model: string
  selection: { rule: string; epoch: number }
  trainingSeconds: number
  backend: string
  runtime: { features: string; training: string }
  /** test-split metrics, when the data set has a test split (never used for model selection) */
  metrics?: ReviewMetrics
  /** the test split's review, when a review folder was asked for */
  review?: ReviewSummary
}

/** Every job kind: what it takes, what it reports while running, what it returns. */
export interface JobMap {
  'dataset-check': { request: { dir: string; category?: string }; progress: StageProgress; result: DatasetSummary }
  /** a few thumbnails of each defect type and split of a data set, for the import screen */
  'dataset-thumbnails': { request: { dir: string; category?: string; perType: number }; progress: StageProgress; result: { defectType: string; split: string; path: string; url: string }[] }
  /** the photo a product's region is drawn on (its data set's first good training image) */
  'reference-photo': { request: { dir: string; category?: string }; progress: StageProgress; result: { path: string; photo: ReviewPhoto; width: number; height: number } }
  /** decodes each image (so the main process never does); `problem` null when it can be used */
  'image-check': { request: { paths: string[] }; progress: StageProgress; result: { path: string; problem: string | null }[] }
  train: {
    request: {
      data: string
      category?: string
      out: string
      /** resolved once when the run was created; a resume trains with exactly this */
      config: PbasConfig
      featureCacheDir?: string
      /** good images reviewers added to the product's training set */
      extraGood?: string[]
      /** where to write the test split's review after training (when the data set has a test split) */
      reviewDir?: string
      /** discard the run's checkpoint and train from the start */
      restart?: boolean
      /** the region to inspect the run was created with */
      region?: import('../image/region').InspectionRegion
    }
    progress: TrainRunProgress
    result: TrainRunResult
  }
  review: { request: { model: string; data: string; category?: string; out: string }; progress: StageProgress; result: ReviewSummary }
  'feature-plot': { request: { modelDir: string; data: string; category?: string; stage: PlotStage; region?: import('../image/region').InspectionRegion }; progress: StageProgress; result: FeaturePlot }
  eval: { request: { model: string; data: string; category?: string }; progress: StageProgress; result: ReviewMetrics }
  /** new thresholds from good images the model never saw (weights untouched) */
  calibrate: {
    request: { model: string; images: string[]; by: string; from: string; exclude: string[]; replace?: boolean }
    progress: StageProgress
    result: RecalibrationResult
  }
  'backbone-fetch': { request: { arch: BackboneArch }; progress: DownloadProgress; result: StoredWeights }
  /** an inspection station: runs until cancelled (its normal end); `reviewDir` is its review queue's folder */
  station: { request: { model: string; dir: string; sort: boolean; log: string; reviewDir: string; queueStart: number; reviewFrom?: number | null; line?: import('./line-messages').LineSettings }; progress: StationProgress; result: StationSummary }
  /** writes model.onnx, model.json and README.md of a model into `out` */
  export: { request: { model: string; out: string }; progress: ExportProgress; result: ExportOutcome }
  /** times a run's pieces at its settings on a few of its images (see engine/pipeline/measure-run) */
  'run-estimate': { request: { config: PbasConfig; samples: string[] }; progress: MeasureProgress; result: RunCostMeasure }
}

export type JobKind = keyof JobMap

/** A request: its kind plus that kind's fields. */
export type JobRequest = { [K in JobKind]: { kind: K } & JobMap[K]['request'] }[JobKind]

/** A request of one kind. */
export type JobRequestOf<K extends JobKind> = { kind: K } & JobMap[K]['request']

/** A progress report tagged with its job's kind. */
export type JobUpdate = { [K in JobKind]: { kind: K; progress: JobMap[K]['progress'] } }[JobKind]

/** A result tagged with its job's kind. */
export type JobOutcome = { [K in JobKind]: { kind: K; result: JobMap[K]['result'] } }[JobKind]

/** Events from the runner: state changes (always delivered) and progress (throttled); narrow by `kind`. */
export type JobEvent =
  | { type: 'state'; jobId: string; kind: JobKind; state: 'queued' }
  | { type: 'state'; jobId: string; kind: JobKind; state: 'running' }
  | ({ type: 'progress'; jobId: string } & JobUpdate)
  | ({ type: 'state'; jobId: string; state: 'succeeded' } & JobOutcome)
  | { type: 'state'; jobId: string; kind: JobKind; state: 'failed'; error: JobError }
  | { type: 'state'; jobId: string; kind: JobKind; state: 'cancelled'; error: JobError }

/** A job's current snapshot. */
export interface JobInfo {
  id: string
  request: JobRequest
  state: JobState
  createdAt: string
  startedAt?: string
  finishedAt?: string
  error?: JobError
  outcome?: JobOutcome
  lastProgress?: JobUpdate
}
