// Job: score images with a model and write the review folder (scores, heat maps, masks, thumbnails, review.json).
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import type { ReviewItem, ReviewSummary } from '../../../shared/models/review'
import { renderHeatmap } from '../image/heatmap'
import type { Sample } from '../data/types'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import { replaceDirAtomic } from '../util/atomic-write'
import type { PbasModel, Prediction } from './predict'
import { evaluateSamples, reportedMetrics } from './evaluate-model'
import { scoreSamples, type ScoredImage } from './score-samples'
import { imageCurves } from '../review/curves'
import { nearestGoodPath } from '../review/nearest-good'
import { modelMapRange, toGreyMap } from '../review/map-range'

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

/** The sub-folders a review folder's pictures go into. */
export const REVIEW_SUBDIRS = ['images', 'maps', 'masks', 'thumbs'] as const

/** A preprocessed image's [0, 1] floats as 8-bit RGB. */
export function toBytes(rgb: Float32Array): Buffer {
  const out = Buffer.alloc(rgb.length)
  for (let i = 0; i < rgb.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, rgb[i])) * 255)
  return out
}

/** The grid's thumbnail: the heat map over the image, 128 px JPEG. */
export async function overlayThumb(p: Prediction, range: { lo: number; hi: number }): Promise<Buffer> {
  return sharp(await renderHeatmap(p.image.data, p.map, p.size, range.lo, range.hi, 0.45)).resize(128, 128).jpeg({ quality: 75 }).toBuffer()
}

/**
 * One image's pictures in a review folder: the network input (JPEG), its map as 8-bit grey scaled from
 * `range` (PNG) and a 128 px overlay thumbnail (JPEG, also returned for live views).
 */
export async function writeReviewPictures(dir: string, index: number, p: Prediction, range: { lo: number; hi: number }): Promise<Buffer> {
  const raw = { raw: { width: p.size, height: p.size, channels: 3 as const } }
  await sharp(toBytes(p.image.data), raw).jpeg({ quality: 90 }).toFile(join(dir, reviewFiles.image(index)))
  await sharp(toGreyMap(p.map, range), { raw: { width: p.size, height: p.size, channels: 1 } }).png().toFile(join(dir, reviewFiles.map(index)))
  const thumb = await overlayThumb(p, range)
  await writeFile(join(dir, reviewFiles.thumb(index)), thumb)
  return thumb
}

/** The model's own thresholds, the calibration behind them and its revision, as review.json records them. */
export function modelThresholds(model: PbasModel): ReviewSummary['thresholds']['model'] {
  const t = model.meta.thresholds
  return { default: t.default, band: t.band, source: t.source, calibration: t.calibration, revision: model.meta.calibrations?.active }
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
  const range = modelMapRange(model.meta)
  const pool = model.goodPool
  let summary: ReviewSummary | null = null
  await replaceDirAtomic(job.outDir, async (tmp) => {
    for (const d of REVIEW_SUBDIRS) await mkdir(join(tmp, d), { recursive: true })
    const items: ReviewItem[] = []
    const eta = new EtaTracker('write', job.samples.length)
    const onBatch = async (batch: ScoredImage[]) => {
      for (const { sample: s, prediction: p, mask } of batch) {
        throwIfCancelled(opts.signal)
        const i = items.length
        await writeReviewPictures(tmp, i, p, range)
        const hasMask = job.labelled && !!mask
        if (mask) await sharp(Buffer.from(mask.map((v) => (v ? 255 : 0))), { raw: { width: size, height: size, channels: 1 } }).png().toFile(join(tmp, reviewFiles.mask(i)))
        items.push({
          index: i, path: s.path, score: p.score,
          label: job.labelled ? s.label : null, defectType: job.labelled ? s.defectType : null, hasMask,
          nearestPath: nearestGoodPath(p.image, pool),
        })
        opts.onProgress?.(eta.update(i + 1, s.path))
      }
    }
    // One bad file from the line camera must not sink a whole evaluation: it is left out and listed.
    const scoreOpts = { signal: opts.signal, skipUnreadable: true, onBatch }
    const ev = job.labelled ? await evaluateSamples(model, job.samples, scoreOpts) : null
    const scored = ev?.scored ?? (await scoreSamples(model, job.samples, scoreOpts))
    summary = {
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      source: job.source,
      imageSize: size,
      mapRange: range,
      metrics: ev ? reportedMetrics(ev) : null,
      curves: ev ? imageCurves(scored.scores, scored.labels) : null,
      skipped: scored.skipped,
      maskProblems: scored.maskProblems,
      drift: ev?.drift ?? null,
      thresholds: { model: modelThresholds(model), f1: ev?.f1Threshold ?? null },
      items,
    }
    await writeFile(join(tmp, reviewFiles.summary), JSON.stringify(summary))
  })
  return summary!
}
