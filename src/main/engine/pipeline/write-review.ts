// Job: score images with a model and write the review folder (scores, heat maps, masks, thumbnails, review.json).
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import type { ReviewItem, ReviewSummary } from '../../../shared/models/review'
import type { Sample } from '../data/types'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import { replaceDirAtomic } from '../util/atomic-write'
import type { PbasModel } from './predict'
import { evaluateSamples, reportedMetrics } from './evaluate-model'
import { scoreSamples, type ScoredImage } from './score-samples'
import { imageCurves } from '../review/curves'
import { nearestGoodPath } from '../review/nearest-good'
import { modelMapRange } from '../review/map-range'
import { REVIEW_FORMAT_VERSION, REVIEW_SUBDIRS, reviewFiles, reviewThresholds, writeReviewSummary } from '../review/review-file'
import { writeReviewPictures } from '../review/review-pictures'

/** What to score and where the review folder goes. */
export interface ReviewJob {
  model: PbasModel
  samples: readonly Sample[]
  /** false for a folder of new images: no labels, no metrics */
  labelled: boolean
  source: ReviewSummary['source']
  outDir: string
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
      formatVersion: REVIEW_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      source: job.source,
      imageSize: size,
      mapRange: range,
      metrics: ev ? reportedMetrics(ev) : null,
      curves: ev ? imageCurves(scored.scores, scored.labels) : null,
      skipped: scored.skipped,
      maskProblems: scored.maskProblems,
      drift: ev?.drift ?? null,
      thresholds: { model: reviewThresholds(model.meta), f1: ev?.f1Threshold ?? null },
      items,
    }
    await writeReviewSummary(tmp, summary)
  })
  return summary!
}
