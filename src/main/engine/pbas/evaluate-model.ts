// Job: a model on a data set's test split -> per-image scores, maps and the five metrics.
import { readDataset } from '../data/read-dataset'
import type { Sample } from '../data/types'
import type { ReviewMetrics } from '../../../shared/models/review'
import { loadMask } from '../image/preprocess'
import { computeMetrics, type Metrics } from '../metrics/evaluate'
import { f1MaxThreshold, type Threshold } from '../metrics/thresholds'
import type { JobOptions } from '../util/job'
import type { PbasModel, Prediction } from './predict'

/** Evaluation output: metrics, speed, and the per-image predictions. */
export interface Evaluation extends Metrics {
  images_per_second: number
  images: number
  f1Threshold: Threshold | null
  predictions: Prediction[]
  labels: number[]
  /** the samples scored, in prediction order (all of them unless `skipUnreadable` dropped some) */
  samples: Sample[]
  /** images left out because they could not be read (only with `skipUnreadable`) */
  skipped: { path: string; message: string }[]
}

/** The six figures every caller reports (eval --json, run records, reviews): the five metrics and speed. */
export function reportedMetrics(ev: Evaluation): ReviewMetrics {
  return { image_auroc: ev.image_auroc, image_ap: ev.image_ap, pixel_auroc: ev.pixel_auroc, pixel_ap: ev.pixel_ap, pixel_pro: ev.pixel_pro, images_per_second: ev.images_per_second }
}

/** Scores the test split and computes I-AUROC, I-AP, P-AUROC, P-AP and PRO (pixel metrics when masks exist). */
export async function evaluateModel(model: PbasModel, data: string, category: string | undefined, opts: JobOptions = {}): Promise<Evaluation> {
  const ds = await readDataset(data, { category })
  const test = ds.samples.filter((s) => s.split === 'test')
  if (test.length === 0) throw new Error(`${ds.root} has no test images to evaluate on`)
  return evaluateSamples(model, test, opts)
}

/**
 * Scores labelled samples; metrics need both good and defective samples, pixel metrics need every defect's
 * mask. With `skipUnreadable`, images that cannot be decoded are left out and listed instead of failing.
 */
export async function evaluateSamples(model: PbasModel, all: readonly Sample[], opts: JobOptions & { skipUnreadable?: boolean } = {}): Promise<Evaluation> {
  const t0 = Date.now()
  const skipped: { path: string; message: string }[] = []
  const onUnreadable = opts.skipUnreadable ? (path: string, err: Error) => void skipped.push({ path, message: err.message }) : undefined
  const predictions = await model.predict(all.map((s) => s.path), { ...opts, onUnreadable })
  const seconds = (Date.now() - t0) / 1000
  const gone = new Set(skipped.map((x) => x.path))
  const test = all.filter((s) => !gone.has(s.path))
  if (test.length === 0) throw new Error(`none of the ${all.length} images could be read; the first: ${skipped[0]?.message ?? 'no images given'}`)
  const size = model.meta.config.imageSize
  const hw = size * size
  const labels = test.map((s) => (s.label === 'defect' ? 1 : 0))
  const maps = new Float32Array(test.length * hw)
  predictions.forEach((p, i) => maps.set(p.map, i * hw))
  const defects = test.filter((s) => s.label === 'defect')
  let masks: Uint8Array | undefined
  if (defects.length > 0 && defects.every((s) => s.maskPath)) {
    masks = new Uint8Array(test.length * hw)
    for (let i = 0; i < test.length; i++) {
      const s = test[i]
      if (s.maskPath) masks.set(await loadMask(s.maskPath, { width: predictions[i].image.originalWidth, height: predictions[i].image.originalHeight }, model.preprocess), i * hw)
    }
  }
  const imageScores = Float32Array.from(predictions.map((p) => p.score))
  const metrics = computeMetrics({ labels, maps, masks, n: test.length, h: size, w: size, imageScores })
  return {
    ...metrics,
    images_per_second: test.length / seconds,
    images: test.length,
    f1Threshold: defects.length ? f1MaxThreshold(imageScores, labels) : null,
    predictions,
    labels,
    samples: test,
    skipped,
  }
}
