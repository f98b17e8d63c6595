// Trained model on disk: a folder with model.json (everything a report needs) and weights.pbasw.
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../util/atomic-write'
import { readBundle, writeBundle, type NamedArray } from '../util/tensor-bundle'
import type { PbasConfig } from '../pbas/config'
import type { EpochRecord } from '../pbas/train'
import type { ReviewBand, Threshold } from '../metrics/thresholds'
import { ENGINE_VERSION } from '../version'

/** Bumped when the folder layout or the meaning of a field changes. */
export const MODEL_FORMAT_VERSION = 1

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
  /** mapRange: the score range heat maps are drawn over (absent in models from before it existed) */
  thresholds: { default: Threshold; band: ReviewBand; source: string; mapRange?: { lo: number; hi: number } }
  history: EpochRecord[]
  centreDistances: number[]
  dataset: { root: string; category?: string; fingerprint: string; trainImages: number; validationImages: number }
  backend: string
  /** what executed feature extraction and training ('onnxruntime' or 'tfjs') */
  runtime: { features: string; training: string }
  trainingSeconds: number
}

/** A model that cannot be loaded; the message says why and what to do. */
export class ModelFileError extends Error {}

/** Writes the model folder atomically: a complete new folder replaces the old one in one rename. */
export async function saveModel(dir: string, meta: ModelMeta, arrays: Record<string, NamedArray>): Promise<void> {
  const tmp = `${dir}.${process.pid}.tmp`
  await rm(tmp, { recursive: true, force: true })
  await mkdir(tmp, { recursive: true })
  await writeBundle(join(tmp, 'weights.pbasw'), { formatVersion: MODEL_FORMAT_VERSION }, arrays)
  await writeFileAtomic(join(tmp, 'model.json'), JSON.stringify(meta, null, 2) + '\n')
  if (existsSync(dir)) {
    const old = `${dir}.${process.pid}.old`
    await rename(dir, old)
    await rename(tmp, dir)
    await rm(old, { recursive: true, force: true })
  } else await rename(tmp, dir)
}

/** Reads a model folder, refusing newer formats and damaged files with a clear message. */
export async function loadModelFiles(dir: string): Promise<{ meta: ModelMeta; arrays: Record<string, NamedArray> }> {
  const metaPath = join(dir, 'model.json')
  if (!existsSync(metaPath)) throw new ModelFileError(`${dir} is not a PBAS Inspect model (no model.json). Choose the folder written by \`pbas train --out\`.`)
  let meta: ModelMeta
  try {
    meta = JSON.parse(await readFile(metaPath, 'utf8')) as ModelMeta
  } catch (err) {
    throw new ModelFileError(`${metaPath} is damaged (${(err as Error).message}); retrain or restore the model from a backup.`)
  }
  if (!meta.formatVersion || meta.formatVersion > MODEL_FORMAT_VERSION)
    throw new ModelFileError(`${dir} was written by a newer PBAS Inspect (model format ${meta.formatVersion}, this version reads up to ${MODEL_FORMAT_VERSION}); update PBAS Inspect.`)
  let arrays: Record<string, NamedArray>
  try {
    arrays = (await readBundle(join(dir, 'weights.pbasw'))).arrays
  } catch (err) {
    throw new ModelFileError(`${join(dir, 'weights.pbasw')}: ${(err as Error).message}; retrain or restore the model from a backup.`)
  }
  for (const k of ['projW', 'projB', 'discW1', 'discB1', 'bnGamma', 'bnBeta', 'bnMean', 'bnVar', 'discW2', 'centre'])
    if (!arrays[k]) throw new ModelFileError(`${dir}/weights.pbasw lacks ${k}; the file is damaged or not a PBAS model.`)
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
