// Job: a model on a data set's test split -> per-image scores, the five metrics and the figures that matter at the line.
import { readDataset } from '../data/read-dataset'
import type { Sample } from '../data/types'
import type { ReviewMetrics } from '../../../shared/models/review'
import { imageMetrics, pixelMetrics, type Metrics } from '../metrics/evaluate'
import { f1MaxThreshold, type Threshold } from '../metrics/thresholds'
import { sweep } from '../metrics/ranking'
import { InputError } from '../util/errors'
import { driftCheck, type DriftCheck } from '../../../shared/calibration/conformal'
import type { PbasModel } from './predict'
import { activeCalibrationScores } from '../calibration/calibrate'
import { scoreSamples, type ScoredSet, type ScoreOptions } from './score-samples'

/** Decision figures at the model's own threshold and at a 1 % false-reject rate. */
export interface LineFigures {
  /** good parts failed at the model's fail threshold */
  false_reject_rate: number | null
  /** defective parts failed at the model's fail threshold */
  defect_recall: number | null
  /** defect recall when at most 1 % of good parts are rejected (TPR at FPR = 1 %) */
  tpr_at_1pct_fpr: number | null
}

/** Evaluation output: metrics, line figures, speed, and the scored set (no decoded images). */
export interface Evaluation extends Metrics, LineFigures {
  /** do this evaluation's good parts score like the calibration images? (null without both) */
  drift: DriftCheck | null
  images_per_second: number
  images: number
  f1Threshold: Threshold | null
  scored: ScoredSet
}

/** The figures every caller reports (eval --json, run records, reviews): the five metrics, speed, then the line figures. */
export function reportedMetrics(ev: Evaluation): ReviewMetrics {
  return {
    image_auroc: ev.image_auroc, image_ap: ev.image_ap, pixel_auroc: ev.pixel_auroc, pixel_ap: ev.pixel_ap, pixel_pro: ev.pixel_pro, images_per_second: ev.images_per_second,
    false_reject_rate: ev.false_reject_rate, defect_recall: ev.defect_recall, tpr_at_1pct_fpr: ev.tpr_at_1pct_fpr,
  }
}

/** Share of good (label 0) and defective (label 1) scores at or above `threshold`. */
function ratesAt(scores: Float32Array, labels: readonly number[], threshold: number): { fpr: number | null; tpr: number | null } {
  let fp = 0
  let tp = 0
  let goods = 0
  let defects = 0
  scores.forEach((s, i) => {
    if (labels[i]) (defects++, s >= threshold && tp++)
    else (goods++, s >= threshold && fp++)
  })
  return { fpr: goods ? fp / goods : null, tpr: defects ? tp / defects : null }
}

/** Recall at the highest threshold group whose false-positive rate stays within `maxFpr`. */
export function tprAtFpr(scores: Float32Array, labels: readonly number[], maxFpr: number): number | null {
  const s = sweep(scores, (i) => labels[i] > 0)
  if (!s.positives || !s.negatives) return null
  let best = 0
  for (let k = 0; k < s.tp.length; k++) if (s.fp[k] / s.negatives <= maxFpr + 1e-12) best = Math.max(best, s.tp[k] / s.positives)
  return best
}

/** The evaluation's good-part scores against the model's active calibration images. */
function driftOf(model: PbasModel, scores: Float32Array, labels: readonly number[]): DriftCheck | null {
  const calibration = activeCalibrationScores(model.meta)
  return calibration && driftCheck(calibration, Array.from(scores).filter((_, i) => !labels[i]))
}

/** Scores the test split and computes the metrics (pixel metrics where masks exist). */
export async function evaluateModel(model: PbasModel, data: string, category: string | undefined, opts: ScoreOptions = {}): Promise<Evaluation> {
  const ds = await readDataset(data, { category })
  const test = ds.samples.filter((s) => s.split === 'test')
  if (test.length === 0) throw new InputError(`${ds.root} has no test images to evaluate on`)
  return evaluateSamples(model, test, opts)
}

/** Scores labelled samples and computes image metrics, pixel metrics (good images and defects with masks), line figures. */
export async function evaluateSamples(model: PbasModel, samples: readonly Sample[], opts: ScoreOptions = {}): Promise<Evaluation> {
  const scored = await scoreSamples(model, samples, { pixels: true, ...opts })
  const size = model.meta.config.imageSize
  const { scores, labels } = scored
  const at = ratesAt(scores, labels, model.meta.thresholds.band.fail)
  const pixels = scored.pixels
  return {
    ...imageMetrics(scores, labels),
    ...(pixels ? pixelMetrics(pixels.maps, pixels.masks, pixels.n, size, size) : { pixel_auroc: null, pixel_ap: null, pixel_pro: null }),
    false_reject_rate: at.fpr,
    defect_recall: at.tpr,
    tpr_at_1pct_fpr: tprAtFpr(scores, labels, 0.01),
    drift: driftOf(model, scores, labels),
    images_per_second: scored.samples.length / Math.max(1e-9, scored.seconds),
    images: scored.samples.length,
    f1Threshold: labels.some((l) => l) ? f1MaxThreshold(scores, labels) : null,
    scored,
  }
}
