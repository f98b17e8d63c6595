// Job: score images with a model and write the review folder (scores, heat maps, masks, thumbnails, review.json).
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import type { ReviewItem, ReviewSummary } from '../../../shared/models/review'
import { loadImage, loadMask } from '../image/preprocess'
import { renderHeatmap } from '../image/heatmap'
import type { Sample } from '../data/types'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import type { PbasModel, Prediction } from '../pbas/predict'
import { evaluateSamples, reportedMetrics } from '../pbas/evaluate-model'
import { imageCurves } from './curves'
import { nearestIndex, pixelDescriptor } from './nearest-good'

/** What to score and where the review folder goes. */
export interface ReviewJob {
  model: PbasModel
  samples: readonly Sample[]
  /** false for a folder of new images: no labels, no metrics */
  labelled: boolean
  source: ReviewSummary['source']
  /** good training images, for the side-by-side nearest match */
  goodTraining: readonly string[]
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

function percentile(sample: Float32Array, q: number): number {
  const s = Float32Array.from(sample).sort()
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]
}

/** For models without a stored range: median pixel to the larger of the 99.9th percentile and the fail threshold. */
function mapRangeOf(maps: Float32Array[], fail: number): { lo: number; hi: number } {
  const total = maps.reduce((a, m) => a + m.length, 0)
  const stride = Math.max(1, Math.floor(total / 2e6))
  const pool = new Float32Array(Math.ceil(total / stride))
  let k = 0
  let g = 0
  // A strided sample of every map's pixels is enough for the percentiles and keeps the sort small.
  for (const m of maps) for (let i = 0; i < m.length; i++, g++) if (g % stride === 0 && k < pool.length) pool[k++] = m[i]
  const lo = percentile(pool.subarray(0, k), 0.5)
  return { lo, hi: Math.max(percentile(pool.subarray(0, k), 0.999), fail, lo + 1e-6) }
}

function toBytes(rgb: Float32Array): Buffer {
  const out = Buffer.alloc(rgb.length)
  for (let i = 0; i < rgb.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, rgb[i])) * 255)
  return out
}

async function nearestGood(paths: readonly string[], model: PbasModel, opts: JobOptions): Promise<Float32Array[]> {
  const eta = new EtaTracker('nearest', paths.length)
  const out: Float32Array[] = []
  for (let b = 0; b < paths.length; b += 8) {
    throwIfCancelled(opts.signal)
    const imgs = await Promise.all(paths.slice(b, b + 8).map((p) => loadImage(p, model.preprocess)))
    out.push(...imgs.map(pixelDescriptor))
    opts.onProgress?.(eta.update(out.length, paths[out.length - 1]))
  }
  return out
}

/** Writes one scored image's picture files (image, 8-bit heat map, overlay thumbnail) into a review folder. */
export async function writeItemPictures(dir: string, i: number, p: Prediction, range: { lo: number; hi: number }): Promise<void> {
  const { lo, hi } = range
  const size = p.size
  const hw = size * size
  const rgb = toBytes(p.image.data)
  const raw = { raw: { width: size, height: size, channels: 3 as const } }
  await sharp(rgb, raw).jpeg({ quality: 90 }).toFile(join(dir, reviewFiles.image(i)))
  const grey = Buffer.alloc(hw)
  for (let j = 0; j < hw; j++) grey[j] = Math.round(255 * Math.min(1, Math.max(0, (p.map[j] - lo) / (hi - lo))))
  await sharp(grey, { raw: { width: size, height: size, channels: 1 } }).png().toFile(join(dir, reviewFiles.map(i)))
  const overlay = await renderHeatmap(p.image.data, p.map, size, lo, hi, 0.45)
  await sharp(overlay).resize(128, 128).jpeg({ quality: 75 }).toFile(join(dir, reviewFiles.thumb(i)))
}

/**
 * Scores every sample and writes the review folder atomically (a finished folder replaces the old one).
 * Heat maps are stored as 8-bit grey scaled from one score range for the whole evaluation, so the
 * renderer can colour them with any colour map and they stay comparable across images.
 */
export async function writeReview(job: ReviewJob, opts: JobOptions = {}): Promise<ReviewSummary> {
  const { model } = job
  // One bad file from the line camera must not sink a whole evaluation: it is left out and listed.
  const ev = await evaluateSamples(model, job.samples, { ...opts, skipUnreadable: true })
  const { samples, skipped } = ev
  const size = model.meta.config.imageSize
  const band = model.meta.thresholds.band
  const { lo, hi } = model.meta.thresholds.mapRange ?? mapRangeOf(ev.predictions.map((p) => p.map), band.fail)
  const descriptors = await nearestGood(job.goodTraining, model, opts)
  const tmp = `${job.outDir}.${process.pid}.tmp`
  await rm(tmp, { recursive: true, force: true })
  for (const d of ['images', 'maps', 'masks', 'thumbs']) await mkdir(join(tmp, d), { recursive: true })
  const eta = new EtaTracker('write', samples.length)
  const items: ReviewItem[] = []
  for (let i = 0; i < samples.length; i++) {
    throwIfCancelled(opts.signal)
    const s = samples[i]
    const p = ev.predictions[i]
    await writeItemPictures(tmp, i, p, { lo, hi })
    const hasMask = job.labelled && !!s.maskPath
    if (hasMask) {
      const m = await loadMask(s.maskPath!, { width: p.image.originalWidth, height: p.image.originalHeight }, model.preprocess)
      await sharp(Buffer.from(m.map((v) => (v ? 255 : 0))), { raw: { width: size, height: size, channels: 1 } }).png().toFile(join(tmp, reviewFiles.mask(i)))
    }
    const n = descriptors.length ? nearestIndex(pixelDescriptor(p.image), descriptors) : -1
    items.push({
      index: i,
      path: s.path,
      score: p.score,
      label: job.labelled ? s.label : null,
      defectType: job.labelled ? s.defectType : null,
      hasMask,
      nearestPath: n >= 0 ? job.goodTraining[n] : null,
    })
    opts.onProgress?.(eta.update(i + 1, s.path))
  }
  const scores = Float32Array.from(items.map((x) => x.score))
  const labels = ev.labels
  const summary: ReviewSummary = {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    source: job.source,
    imageSize: size,
    mapRange: { lo, hi },
    metrics: job.labelled
      ? reportedMetrics(ev)
      : null,
    curves: job.labelled ? imageCurves(scores, labels) : null,
    skipped,
    thresholds: { model: { default: model.meta.thresholds.default, band, source: model.meta.thresholds.source }, f1: job.labelled ? ev.f1Threshold : null },
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
