// Trained model on disk: the one owner of a model folder's model.json and weights.pbasw (read, write, check).
import type { StopReason } from '../../../shared/pbas/stop-rule'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { replaceDirAtomic, writeFileAtomic } from '../util/atomic-write'
import { readRegularFile } from '../util/file-policy'
import { decodeBundle, encodeBundle, type NamedArray } from '../util/tensor-bundle'
import { metaChecksum, sha256, weightsProblem, type ModelIntegrity } from './integrity'
import { validateModelMeta } from './model-schema'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import type { EpochRecord } from '../../../shared/models/progress'
import type { Calibration, CalibrationRevision } from '../../../shared/models/calibration'
import type { ReviewBand, Threshold } from '../metrics/thresholds'
import { ENGINE_VERSION } from '../version'
import { InputError } from '../util/errors'
import { MODEL_FILES } from './paths'
import { writeGoodPool, type GoodPool } from './good-pool'
import type { ComputeDevice } from '../backend/select-backend'

export { MODEL_FILES } from './paths'

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

/** Writes the model folder atomically: a complete new folder replaces the old one in one rename. */
export async function saveModel(dir: string, meta: ModelMeta, arrays: Record<string, NamedArray>, pool?: GoodPool): Promise<void> {
  await replaceDirAtomic(dir, async (tmp) => {
    const weights = encodeBundle({ formatVersion: MODEL_FORMAT_VERSION }, arrays)
    await writeFileAtomic(join(tmp, MODEL_FILES.weights), weights)
    if (pool) await writeGoodPool(tmp, pool)
    await writeFileAtomic(join(tmp, MODEL_FILES.meta), sealed(meta, sha256(weights)))
  })
}

/** Rewrites model.json alone (recalibration): the weights stay byte for byte as they are. */
export async function updateModelMeta(dir: string, meta: ModelMeta): Promise<void> {
  const weights = meta.integrity?.weightsSha256 ?? sha256(await readFile(join(dir, MODEL_FILES.weights)))
  await writeFileAtomic(join(dir, MODEL_FILES.meta), sealed(meta, weights))
}

/** model.json's text with a fresh integrity record (format 2). */
function sealed(meta: ModelMeta, weightsSha256: string): string {
  const body: ModelMeta = { ...meta, formatVersion: MODEL_FORMAT_VERSION, integrity: undefined }
  return JSON.stringify({ ...body, integrity: { weightsSha256, metaSha256: metaChecksum(body) } }, null, 2) + '\n'
}

/** True when `dir` holds a finished model. */
export function isModelDir(dir: string): boolean {
  return existsSync(join(dir, MODEL_FILES.meta))
}

/** Reads and checks model.json: its format version, every field it needs, and its own checksum (mandatory). */
export async function readModelMeta(dir: string): Promise<ModelMeta> {
  const metaPath = join(dir, MODEL_FILES.meta)
  if (!existsSync(metaPath)) throw new ModelFileError(`${dir} is not a PBAS Inspect model (no model.json). Choose the folder written by \`pbas train --out\`.`, 'not-found')
  let raw: unknown
  try {
    raw = JSON.parse((await readRegularFile(metaPath, 'json')).toString('utf8'))
  } catch (err) {
    throw new ModelFileError(`${metaPath} is damaged (${(err as Error).message}); retrain or restore the model from a backup.`)
  }
  const meta = validateModelMeta(raw, dir)
  // Format 1 had no checksums, so it cannot be told from a format-2 model whose version was lowered and whose
  // checksums were deleted to hide an edit (raised thresholds, other weights): it is refused, never sealed as found.
  if (meta.formatVersion < 2)
    throw new ModelFileError(`${metaPath} is model format ${meta.formatVersion}, written before models carried checksums, so changes to its thresholds or weights cannot be detected; this version refuses it. Retrain the model (same data and settings) to get a checked one.`)
  if (!meta.integrity || meta.integrity.metaSha256 !== metaChecksum(meta))
    throw new ModelFileError(`${metaPath} was changed after training (its checksum does not match); retrain, restore the model from a backup, or recalibrate with \`pbas calibrate\` instead of editing it.`)
  return meta
}

/** Reads a model folder, checking that the weights are the ones model.json describes: checksum, shapes, finite values. */
export async function loadModelFiles(dir: string): Promise<{ meta: ModelMeta; arrays: Record<string, NamedArray> }> {
  const meta = await readModelMeta(dir)
  const file = join(dir, MODEL_FILES.weights)
  let arrays: Record<string, NamedArray>
  try {
    const buf = await readRegularFile(file, 'weights')
    arrays = decodeBundle(buf, file).arrays
    // A bit flipped anywhere (or a file from another model) decodes fine; only the checksum tells.
    if (!meta.integrity || sha256(buf) !== meta.integrity.weightsSha256) throw new Error('its checksum does not match the one in model.json, so the file is damaged or was replaced')
  } catch (err) {
    throw new ModelFileError(`${file}: ${(err as Error).message}; retrain or restore the model from a backup.`)
  }
  const problem = weightsProblem(meta, arrays)
  if (problem) throw new ModelFileError(`${file} cannot be used: ${problem}. The file is damaged or not this model's; retrain or restore the model from a backup.`)
  return { meta, arrays }
}

/** Refuses a backbone whose weights differ from the ones the model was trained with. */
export function checkBackbone(meta: ModelMeta, id: string, checksum: string): void {
  if (meta.backbone.id !== id || meta.backbone.weightsChecksum !== checksum)
    throw new ModelFileError(
      `This model was trained with backbone ${meta.backbone.id} (weights sha256 ${meta.backbone.weightsChecksum.slice(0, 12)}), ` +
        `but the backbone available now is ${id} (weights ${checksum.slice(0, 12)}). Use the same weights, or retrain.`,
    )
}

export { ENGINE_VERSION }
