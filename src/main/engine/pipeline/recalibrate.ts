// Recalibration without retraining: score good images the model never saw, store new thresholds as a revision.
import { resolve } from 'node:path'
import type { CalibrationRevision, CalibrationRevisionInfo } from '../../../shared/models/calibration'
import type { BackboneContext } from '../backbone/load-backbone'
import { readModelMeta, updateModelMeta, type ModelMeta } from '../model/model-file'
import { withModel } from './review-pipeline'
import { InputError } from '../util/errors'
import type { JobOptions } from '../util/job'
import { calibrateThresholds, thresholdsOf } from '../calibration/calibrate'

/** Good images to recalibrate on, who asked, and whether to keep the training hold-out in the set. */
export interface RecalibrateInput {
  modelDir: string
  images: readonly string[]
  by: string
  /** what the images are, after their count, for the record ("good images in /line/good"); the count is the number actually used */
  from: string
  /** images that must never calibrate (e.g. every test split of the product's data sets) */
  exclude?: readonly string[]
  /** use only these images; by default the hold-out the model was calibrated on at training stays in the set */
  replace?: boolean
}

/** A recalibration's outcome: the new revision and the images left out, with why. */
export interface RecalibrateResult {
  revision: CalibrationRevision
  refused: { path: string; reason: string }[]
}

/** None of the given images can calibrate: the model is left as it was; `refused` says why for each. */
export class RecalibrationRefused extends InputError {
  constructor(readonly refused: RecalibrateResult['refused']) {
    super(
      `none of the ${refused.length} images can calibrate this model, so nothing was changed${refused.length ? ` (e.g. ${refused[0].path}: ${refused[0].reason})` : ''}; choose good parts it has not trained on`,
    )
  }
}

/** A revision without its image list, for lists and IPC. */
export function revisionInfo({ images, ...rev }: CalibrationRevision): CalibrationRevisionInfo {
  return { ...rev, images: images.length }
}

/** The thresholds of a revision, as the model decides with them. */
function applyRevision(meta: ModelMeta, rev: CalibrationRevision): ModelMeta {
  return {
    ...meta,
    thresholds: { ...meta.thresholds, ...thresholdsOf(rev.calibration) },
    calibrations: { active: rev.id, revisions: meta.calibrations?.revisions ?? [rev] },
  }
}

/**
 * Scores the images with the model and stores thresholds from them (plus, unless `replace`, the training
 * hold-out) as a new, active revision. Only model.json changes; the weights stay byte for byte the same.
 * Images the model trained on and excluded ones (test splits) are refused: their scores would flatter it.
 */
export async function recalibrate(input: RecalibrateInput, ctx: BackboneContext, opts: JobOptions = {}): Promise<RecalibrateResult> {
  const meta = await readModelMeta(input.modelDir)
  const trained = new Set((meta.dataset.images?.train ?? []).map((p) => resolve(p)))
  const excluded = new Set((input.exclude ?? []).map((p) => resolve(p)))
  const refused: RecalibrateResult['refused'] = []
  const fresh: string[] = []
  for (const p of new Set(input.images.map((x) => resolve(x)))) {
    if (trained.has(p)) refused.push({ path: p, reason: 'the model trained on it' })
    else if (excluded.has(p)) refused.push({ path: p, reason: 'it belongs to a test split' })
    else fresh.push(p)
  }
  const kept = input.replace ? [] : (meta.calibrations?.revisions.find((r) => r.id === 1)?.images ?? []).filter((x) => !fresh.includes(resolve(x.path)))
  const scored = await withModel(input.modelDir, ctx, async (model) => {
    const preds = await model.predict(fresh, { signal: opts.signal, onProgress: opts.onProgress, onUnreadable: (path, err) => void refused.push({ path, reason: err.message }) })
    return preds.map((p) => ({ path: p.path, score: p.score }))
  })
  // The hold-out alone is not a recalibration: when none of the given images remain, nothing is written.
  if (scored.length === 0) throw new RecalibrationRefused(refused)
  const images = [...kept, ...scored]
  const given = `${scored.length} ${input.from}${refused.length ? ` (${refused.length} more left out)` : ''}`
  const source = kept.length ? `${given} and the ${kept.length} good images held out at training` : given
  const t = calibrateThresholds(Float32Array.from(images.map((x) => x.score)), meta.config, source)
  const revisions = meta.calibrations?.revisions ?? []
  const revision: CalibrationRevision = { id: Math.max(0, ...revisions.map((r) => r.id)) + 1, createdAt: new Date().toISOString(), by: input.by, calibration: t.calibration!, images }
  const next = applyRevision({ ...meta, calibrations: { active: revision.id, revisions: [...revisions, revision] } }, revision)
  await updateModelMeta(input.modelDir, next)
  return { revision, refused }
}

/** Makes an earlier revision the one the model decides with. */
export async function selectRevision(modelDir: string, id: number): Promise<ModelMeta> {
  const meta = await readModelMeta(modelDir)
  const rev = meta.calibrations?.revisions.find((r) => r.id === id)
  if (!rev) throw new InputError(`${modelDir} has no calibration revision ${id}; it has ${(meta.calibrations?.revisions ?? []).map((r) => r.id).join(', ') || 'none'}`)
  const next = applyRevision(meta, rev)
  await updateModelMeta(modelDir, next)
  return next
}
