// A station's review queue: a folder evaluation that grows as parts in the review band and failed parts arrive.
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReviewItem, ReviewSummary } from '../../../shared/models/review'
import type { PbasModel, Prediction } from '../pipeline/predict'
import { modelThresholds, REVIEW_SUBDIRS, reviewFiles, writeReviewPictures } from '../pipeline/write-review'
import { writeFileAtomic } from '../util/atomic-write'
import type { GoodPool } from '../model/good-pool'
import { nearestGoodPath } from '../review/nearest-good'

/**
 * Writes the same review folder a folder evaluation has (review.json, images, maps, thumbs), one part at a
 * time, so the review grid opens it while the line runs. review.json holds the facts (source, size, map
 * range, thresholds, unreadable files); the items go to the caller (the app keeps them in its database).
 */
export class ReviewQueue {
  private writing: Promise<void> = Promise.resolve()

  private constructor(
    readonly dir: string,
    private readonly range: { lo: number; hi: number },
    private next: number,
    private summary: ReviewSummary,
    /** the model's good training images, for each part's nearest good image */
    private readonly pool: GoodPool,
  ) {}

  /** Opens the queue folder (creating its review.json); `next` is the index the next queued part gets. */
  static async open(dir: string, model: PbasModel, watched: string, next: number): Promise<ReviewQueue> {
    for (const d of REVIEW_SUBDIRS) await mkdir(join(dir, d), { recursive: true })
    const file = join(dir, reviewFiles.summary)
    let summary: ReviewSummary
    if (existsSync(file)) summary = JSON.parse(await readFile(file, 'utf8')) as ReviewSummary
    else {
      summary = {
        formatVersion: 1, createdAt: new Date().toISOString(), source: { data: watched, kind: 'folder' }, imageSize: model.meta.config.imageSize,
        mapRange: model.mapRange, metrics: null, skipped: [], curves: null, thresholds: { model: modelThresholds(model), f1: null }, items: [],
      }
      await writeFileAtomic(file, JSON.stringify(summary))
    }
    return new ReviewQueue(dir, summary.mapRange, next, summary, model.goodPool)
  }

  /** Adds a part (path: where it is now, after sorting) and returns its review item and grid thumbnail. */
  async add(p: Prediction, path: string): Promise<{ item: ReviewItem; thumb: Buffer }> {
    const index = this.next++
    const thumb = await writeReviewPictures(this.dir, index, p, this.range)
    return { item: { index, path, score: p.score, label: null, defectType: null, hasMask: false, nearestPath: nearestGoodPath(p.image, this.pool) }, thumb }
  }

  /** Lists an unreadable file in review.json, as a folder evaluation lists its skipped images. */
  skip(path: string, message: string): Promise<void> {
    this.summary = { ...this.summary, skipped: [...this.summary.skipped, { path, message }] }
    const text = JSON.stringify(this.summary)
    // One write after the other, so an older list never lands after a newer one.
    this.writing = this.writing.catch(() => {}).then(() => writeFileAtomic(join(this.dir, reviewFiles.summary), text))
    return this.writing
  }
}
