// Job: score images with a model and write the review folder (scores, heat maps, masks, thumbnails, review.json).
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import type { ReviewItem, ReviewSummary } from '../../../shared/models/review'
import { renderHeatmap } from '../image/heatmap'
import type { Sample } from '../data/types'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import type { PbasModel } from '../pbas/predict'
import { evaluateSamples, reportedMetrics } from '../pbas/evaluate-model'
import { scoreSamples, type ScoredImage } from '../pbas/score-samples'
import { imageCurves } from './curves'
import { nearestIndex, pixelDescriptor } from './nearest-good'
import { modelMapRange, toGreyMap } from './map-range'

/** What to score and where the review folder goes. */
export interface ReviewJob {
  model: PbasModel
  samples: readonly Sample[]
  /** false for a folder of new images: no labels, no metrics */
  labelled: boolean
  source: ReviewSummary['source']
  outDir: string
}

/** File names inside a review folder, by image index. */
export const reviewFiles = {
  summary: 'review.json',
  image: (i: number) => join('images', `${i}.jpg`),
  map: (i: number) => join('maps', `${i}.png`),
  mask: (i: number) => join('masks', `${i}.png`),
  thumb: (i: number) => join('thumbs', `${i}.jpg`),
}

function toBytes(rgb: Float32Array): Buffer {
  const out = Buffer.alloc(rgb.length)
  for (let i = 0; i < rgb.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, rgb[i])) * 255)
  return out
}

/**
 * Scores every sample and writes the review folder atomically (a finished folder replaces the old one).
 * Each image and mask is decoded once: its files are written as its batch is scored. Heat maps are stored
 * as 8-bit grey on one score range for the whole evaluation (the model's), so the renderer can colour them
 * with any colour map and they stay comparable across images.
 */
export async function writeReview(job: ReviewJob, opts: JobOptions = {}): Promise<ReviewSummary> {
  const { model } = job
  const size = model.meta.config.imageSize
  const band = model.meta.thresholds.band
  const stored = model.meta.thresholds.mapRange
  const pool = model.goodPool
  const tmp = `${job.outDir}.${process.pid}.tmp`
  await rm(tmp, { recursive: true, force: true })
  for (const d of ['images', 'maps', 'masks', 'thumbs']) await mkdir(join(tmp, d), { recursive: true })
  const items: ReviewItem[] = []
  // Older models have no stored range: their maps wait until every score is known to fix one.
  const pending: { index: number; map: Float32Array; rgb: Float32Array }[] = []
  const eta = new EtaTracker('write', job.samples.length)
  const writeMap = async (i: number, map: Float32Array, rgb: Float32Array, range: { lo: number; hi: number }) => {
    await sharp(toGreyMap(map, range), { raw: { width: size, height: size, channels: 1 } }).png().toFile(join(tmp, reviewFiles.map(i)))
    const overlay = await renderHeatmap(rgb, map, size, range.lo, range.hi, 0.45)
    await sharp(overlay).resize(128, 128).jpeg({ quality: 75 }).toFile(join(tmp, reviewFiles.thumb(i)))
  }
  const onBatch = async (batch: ScoredImage[]) => {
    for (const { sample: s, prediction: p, mask } of batch) {
      throwIfCancelled(opts.signal)
      const i = items.length
      await sharp(toBytes(p.image.data), { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 90 }).toFile(join(tmp, reviewFiles.image(i)))
      if (stored) await writeMap(i, p.map, p.image.data, stored)
      else pending.push({ index: i, map: p.map, rgb: p.image.data })
      const hasMask = job.labelled && !!mask
      if (mask) await sharp(Buffer.from(mask.map((v) => (v ? 255 : 0))), { raw: { width: size, height: size, channels: 1 } }).png().toFile(join(tmp, reviewFiles.mask(i)))
      const n = pool.descriptors.length ? nearestIndex(pixelDescriptor(p.image), pool.descriptors) : -1
      items.push({
        index: i, path: s.path, score: p.score,
        label: job.labelled ? s.label : null, defectType: job.labelled ? s.defectType : null, hasMask,
        nearestPath: n >= 0 ? pool.paths[n] : null,
      })
      opts.onProgress?.(eta.update(i + 1, s.path))
    }
  }
  // One bad file from the line camera must not sink a whole evaluation: it is left out and listed.
  const scoreOpts = { signal: opts.signal, skipUnreadable: true, onBatch }
  const ev = job.labelled ? await evaluateSamples(model, job.samples, scoreOpts) : null
  const scored = ev?.scored ?? (await scoreSamples(model, job.samples, scoreOpts))
  const range = modelMapRange(model.meta, pending.map((x) => x.map))
  for (const x of pending) await writeMap(x.index, x.map, x.rgb, range)
  const summary: ReviewSummary = {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    source: job.source,
    imageSize: size,
    mapRange: range,
    metrics: ev ? reportedMetrics(ev) : null,
    curves: ev ? imageCurves(scored.scores, scored.labels) : null,
    skipped: scored.skipped,
    maskProblems: scored.maskProblems,
    thresholds: {
      model: { default: model.meta.thresholds.default, band, source: model.meta.thresholds.source, calibration: model.meta.thresholds.calibration, revision: model.meta.calibrations?.active },
      f1: ev?.f1Threshold ?? null,
    },
    items,
  }
  await writeFile(join(tmp, reviewFiles.summary), JSON.stringify(summary))
  // Swap in the complete folder; the previous review (if any) is removed only after the new one exists.
  const old = `${job.outDir}.${process.pid}.old`
  if (existsSync(job.outDir)) await rename(job.outDir, old)
  await rename(tmp, job.outDir)
  await rm(old, { recursive: true, force: true })
  return summary
}
