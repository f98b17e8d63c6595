// model.json's declarations: the format version, its fields and the error a bad model folder raises (no I/O, so the
// schema, the integrity checks and the reader/writer all build on it without importing each other in a circle).
import type { StopReason } from '../../../shared/pbas/stop-rule'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import type { EpochRecord } from '../../../shared/models/progress'
import type { Calibration, CalibrationRevision } from '../../../shared/models/calibration'
import type { ReviewBand, Threshold } from '../metrics/thresholds'
import { InputError } from '../util/errors'
import type { ModelIntegrity } from './integrity'
import type { ComputeDevice } from '../backend/select-backend'
import type { InspectionRegion } from '../../../shared/image/region'
import type { ModelTiling } from '../../../shared/image/tile-grid'
export type { ModelTiling }

/** Bumped when the folder layout or the meaning of a field changes (2: checksums of the weights and of model.json). */
export const MODEL_FORMAT_VERSION = 2

/** The thresholds a model decides with (those of its active calibration revision). */
export interface ModelThresholds {
  default: Threshold
  band: ReviewBand
  /** which good images set them */
  source: string
  /** the score range heat maps are drawn over (absent in models from before it existed) */
  mapRange?: { lo: number; hi: number }
  /** the finite-sample calibration behind them (absent when they come from training images) */
  calibration?: Calibration
}

/** model.json */
export interface ModelMeta {
  formatVersion: number
  engineVersion: string
  createdAt: string
  config: PbasConfig
  backbone: { id: string; spec: string; weightsChecksum: string; taps: string[] }
  grid: number
  /** the region to inspect and areas to ignore (absent: the whole photo); ignored patches score 0 */
  region?: InspectionRegion
  /** patches per photo the region keeps, the centre's rows (absent: grid x grid, times the tiles when tiled) */
  keptPatches?: number
  /** fit 'tile': the photo size the model was trained on and its tiles (each a grid x grid block of the centre's rows) */
  tiling?: ModelTiling
  dim: number
  selection: { rule: string; epoch: number }
  /** why training ended after its last epoch (absent in models from before the stop rule) */
  stop?: StopReason
  thresholds: ModelThresholds
  /** every calibration of the model, and which one `thresholds` follows (absent in older models) */
  calibrations?: { active: number; revisions: CalibrationRevision[] }
  history: EpochRecord[]
  centreDistances: number[]
  dataset: {
    root: string
    category?: string
    fingerprint: string
    trainImages: number
    validationImages: number
    /** the good images trained on and held out (so recalibration can refuse them) */
    images?: { train: string[]; heldOut: string[] }
    /** listed good images that could not be read and were left out */
    skipped?: { path: string; message: string }[]
  }
  backend: string
  /** what executed feature extraction and training ('onnxruntime' or 'tfjs') */
  runtime: { features: string; training: string }
  /** the device that trained, and why faster ones were skipped (absent in older models) */
  compute?: ComputeDevice
  trainingSeconds: number
  /** checksums that make any change to the weights or to model.json detectable (format 2; models without them are refused) */
  integrity?: ModelIntegrity
}

/** A model that cannot be loaded; the message says why and what to do. */
export class ModelFileError extends InputError {}
