// Progress reports of engine jobs as plain objects, each tagged by `kind` so every consumer can narrow them.
import type { HeldOutSummary } from '../pbas/stop-rule'

/** A counted stage of work (features, check, infer, write...); `etaSeconds` is null until known. */
export interface StageProgress {
  kind: 'progress'
  stage: string
  done: number
  total: number
  etaSeconds: number | null
  message?: string
}

/** A weights download: bytes so far, total when the server says, ETA from the mean rate. */
export interface DownloadProgress {
  kind: 'download'
  url: string
  bytes: number
  totalBytes: number | null
  etaSeconds: number | null
}

/** Figures logged per training step (the official code's log plus the three losses). */
export interface StepStats {
  lossC: number
  lossN: number
  lossA: number
  /** share of normal patches scored < 0.5 */
  pTrue: number
  /** share of synthetic patches scored >= 0.5 */
  pFake: number
  distNormal: number
  distSynthetic: number
  distNormalSynthetic: number
}

/** Progress of the PBAS training loop itself. */
export type TrainProgress =
  | { kind: 'centre'; done: number; total: number; distance: number }
  | { kind: 'step'; epoch: number; epochs: number; step: number; steps: number; stats: StepStats; etaSeconds: number | null }
  | { kind: 'epoch'; epoch: number; epochs: number; means: StepStats; validation: number | null; seconds: number; etaSeconds: number | null; /** set when the converged rule ends training after this epoch */ stopped?: string }
  | { kind: 'checkpoint'; epoch: number; path: string }
  /** training continues from a checkpoint written after `epoch` (at `at`) */
  | { kind: 'resumed'; epoch: number; epochs: number; at: string | null }

/** The pipeline's stages of a training run, announced with a sentence for the user. */
export type PipelineStage = 'features' | 'train' | 'calibrate' | 'save' | 'review'

/** A stage announcement. */
export interface StageMessage {
  kind: 'stage'
  stage: PipelineStage
  message: string
}

/** Something the user should know before relying on the run (e.g. a false-reject target the data cannot support). */
export interface RunWarning {
  kind: 'warning'
  message: string
}

/** Everything a training run reports: counted stages, the training loop, stage announcements and warnings. */
export type TrainRunProgress = StageProgress | TrainProgress | StageMessage | RunWarning

/** One epoch's record in a model's training history. */
export interface EpochRecord {
  epoch: number
  means: StepStats
  validation: number | null
  seconds: number
  /** the held-out good images' score figures after this epoch (runs with the converged stop rule) */
  heldOut?: HeldOutSummary
}

/** Progress of an ONNX export: its four stages. */
export interface ExportProgress {
  kind: 'stage'
  stage: 'load' | 'graph' | 'verify' | 'write'
  message: string
}

/** Progress of a run-cost measurement: which piece is being timed. */
export interface MeasureProgress {
  kind: 'stage'
  stage: 'measure'
  message: string
  done: number
  total: number
}
