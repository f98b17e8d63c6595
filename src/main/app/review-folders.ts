// Reading an evaluation's review folder for the app: its summary with the workspace's items, grid thumbnails, one image's pictures.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReviewImage, ReviewSummary } from '../../shared/models/review'
import { levelOf, type OverlayLevels } from '../../shared/review/overlay'
import type { EvaluationStore } from '../workspace/evaluations'
import type { RunStore } from '../workspace/runs'
import { WorkspaceRequestError } from '../workspace/products'
import { readReviewSummary, reviewFiles } from '../engine/review/review-file'
import { reviewOverlayPng } from '../engine/review/overlay'
import { thumbnailDataUrl } from '../engine/image/thumbnail'
import { reviewPhoto } from '../engine/image/photo'
import { preprocessOf } from '../engine/pbas/config-helpers'

async function dataUrl(path: string, type: string): Promise<string> {
  return `data:${type};base64,${(await readFile(path)).toString('base64')}`
}

/** The one place the app reads review folders (the engine's review-file.ts owns their layout and review.json). */
export class ReviewFolders {
  constructor(
    private readonly evaluations: EvaluationStore,
    private readonly runs: RunStore,
    private readonly readSummary: (dir: string) => Promise<Omit<ReviewSummary, 'items'>> = readReviewSummary,
  ) {}

  /** review.json's facts with the workspace's per-image scores (worst first). */
  async review(evaluationId: string): Promise<ReviewSummary> {
    const e = this.evaluations.get(evaluationId)
    // A station's review queue has its review.json from the start and grows while it runs.
    if (e.state !== 'succeeded' && !existsSync(join(e.dir, reviewFiles.summary))) throw new WorkspaceRequestError(`evaluation ${e.id} is ${e.state}; wait for it to finish`)
    return { ...(await this.readSummary(e.dir)), items: this.evaluations.items(e.id) }
  }

  /** Grid thumbnails as JPEG data URLs: the stored ones, or drawn with overlay levels from the stored image and map. */
  async thumbs(evaluationId: string, indices: readonly number[], levels?: OverlayLevels): Promise<Record<number, string>> {
    const e = this.evaluations.get(evaluationId)
    const n = e.images ?? 0
    if (indices.some((i) => i >= n)) throw new WorkspaceRequestError(`indices must be at most 500 image numbers below ${n}`)
    if (!levels || (levels.heatFrom === null && levels.outlineAt === null))
      return Object.fromEntries(await Promise.all(indices.map(async (i) => [i, await dataUrl(join(e.dir, reviewFiles.thumb(i)), 'image/jpeg')] as const)))
    const { mapRange } = await this.readSummary(e.dir)
    const out: Record<number, string> = {}
    for (const i of indices) {
      const item = this.evaluations.item(e.id, i)
      const partLevel = item && levelOf(item.score, mapRange)
      out[i] = `data:image/jpeg;base64,${(await reviewOverlayPng(e.dir, i, { width: 128, levels, partLevel, jpeg: true })).toString('base64')}`
    }
    return out
  }

  /** One image's pictures: network input, map, mask, nearest good image and the part as photographed. */
  async image(evaluationId: string, index: number): Promise<ReviewImage> {
    const e = this.evaluations.get(evaluationId)
    const item = this.evaluations.item(e.id, index)
    if (!item) throw new WorkspaceRequestError(`index must be an image number below ${e.images ?? 0}`)
    const mask = join(e.dir, reviewFiles.mask(item.index))
    const run = this.runs.get(e.runId)
    const c = run.config
    return {
      region: run.region ?? null,
      image: await dataUrl(join(e.dir, reviewFiles.image(item.index)), 'image/jpeg'),
      map: await dataUrl(join(e.dir, reviewFiles.map(item.index)), 'image/png'),
      mask: existsSync(mask) ? await dataUrl(mask, 'image/png') : null,
      nearest: item.nearestPath && existsSync(item.nearestPath) ? await thumbnailDataUrl(item.nearestPath, 512) : null,
      // The viewer shows the part as photographed; a file moved away since leaves the network input to show.
      photo: existsSync(item.path) ? await reviewPhoto(item.path, preprocessOf(c)).catch(() => null) : null,
    }
  }
}
