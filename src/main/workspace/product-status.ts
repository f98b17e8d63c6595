// A product's state at a glance for the products home: model state, last model's quality at its threshold, parts waiting, a picture.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ProductStatus } from '../../shared/models/workspace'
import type { ReviewSummary } from '../../shared/models/review'
import { chosenOrModelThreshold, decisionAt } from '../../shared/review/threshold-stats'
import { runDefaultName } from '../../shared/pbas/run-name'
import { thumbnailDataUrl } from '../engine/image/thumbnail'
import { readDataset } from '../engine/data/read-dataset'
import { reviewFiles } from '../engine/pipeline/write-review'
import type { EvaluationStore } from './evaluations'
import type { ProductStore } from './products'
import type { RunStore } from './runs'

/** What the status needs from the workspace. */
export interface ProductStatusSources {
  products: ProductStore
  runs: RunStore
  evaluations: EvaluationStore
  readReview: (dir: string) => Promise<Omit<ReviewSummary, 'items'>>
}

/**
 * The product's state: training while a run runs, else the newest finished run's model is ready, or drifting
 * when its newest evaluation's good parts scored higher than its calibration images; no model before any.
 * Waiting: parts of the model's folder evaluations and station queues in the review band or failed, without a
 * verdict. Quality: the test split's false rejects and defects caught at the model's threshold, and the promise.
 */
export async function productStatus(src: ProductStatusSources, productId: string): Promise<ProductStatus> {
  const runs = src.runs.list(productId)
  const training = runs.some((r) => r.state === 'running' || r.state === 'queued')
  const ready = runs.filter((r) => r.state === 'succeeded').sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''))[0]
  let thumbnail: string | null = null
  const out: ProductStatus = { productId, state: training ? 'training' : ready ? 'ready' : 'no-model', run: null, quality: null, waiting: 0, thumbnail }
  if (ready) {
    out.run = { id: ready.id, name: ready.name ?? runDefaultName(ready.config) }
    const done = src.evaluations.list(ready.id).filter((e) => existsSync(join(e.dir, reviewFiles.summary)))
    const reviewed = new Set(src.evaluations.verdicts(ready.id).map((v) => v.imagePath))
    for (const [k, e] of done.entries()) {
      const summary = await src.readReview(e.dir).catch(() => null)
      if (!summary) continue
      if (k === 0 && summary.drift?.shifted && !training) out.state = 'drifting'
      const items = src.evaluations.items(e.id)
      if (summary.source.kind === 'folder') {
        const t = chosenOrModelThreshold(e.threshold, summary.thresholds.model)
        out.waiting += items.filter((x) => decisionAt(x.score, t.value, t.review) !== 'pass' && !reviewed.has(x.path)).length
      } else if (!out.quality && summary.metrics) {
        out.quality = {
          falseReject: summary.metrics.false_reject_rate, defectRecall: summary.metrics.defect_recall, bound: summary.thresholds.model.calibration?.fail.bound ?? null,
          goodParts: items.filter((x) => x.label === 'good').length, defectParts: items.filter((x) => x.label === 'defect').length,
        }
      }
      if (!thumbnail && items.length && existsSync(items[0].path)) thumbnail = await thumbnailDataUrl(items.find((x) => x.label === 'good')?.path ?? items[0].path, 160).catch(() => null)
    }
  }
  if (!thumbnail) {
    // No scored images yet: the first good training image of the product's first data set.
    const ds = src.products.datasets(productId)[0]
    const first = ds ? (await readDataset(ds.root, { category: ds.category }).catch(() => null))?.samples.find((x) => x.split === 'train') : undefined
    if (first) thumbnail = await thumbnailDataUrl(first.path, 160).catch(() => null)
  }
  out.thumbnail = thumbnail
  return out
}
