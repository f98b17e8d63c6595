// A product's extra training images (good parts reviewers confirmed): added under the training rule, decoded in the worker.
import type { Jobs } from '../jobs/job-lanes'
import type { EvaluationStore } from '../workspace/evaluations'
import type { ProductStore } from '../workspace/products'
import { readDataset } from '../engine/data/read-dataset'
import { sortAdditions } from '../engine/data/training-additions'
import type { Sample } from '../engine/data/types'
import { jobResult } from './job-result'

/** Adds, lists and removes a product's confirmed-good training images. */
export class TrainingSetService {
  constructor(
    private readonly products: ProductStore,
    private readonly evaluations: EvaluationStore,
    private readonly runner: Jobs,
  ) {}

  /** Every listed image of the product's data sets (a data set that cannot be read lists none). */
  private async samples(productId: string): Promise<Sample[]> {
    const out: Sample[] = []
    for (const d of this.products.datasets(productId)) out.push(...((await readDataset(d.root, { category: d.category }).catch(() => null))?.samples ?? []))
    return out
  }

  /** Adds the images that may join training and decode; the rest come back with why. */
  async addGood(productId: string, paths: readonly string[], by: string): Promise<{ added: number; total: number; refused: { path: string; reason: string }[] }> {
    const { accepted, refused } = sortAdditions(await this.samples(productId), paths)
    const checked = accepted.length ? await jobResult(this.runner, { kind: 'image-check', paths: accepted }) : []
    for (const c of checked) if (c.problem !== null) refused.push({ path: c.path, reason: c.problem })
    const usable = checked.filter((c) => c.problem === null).map((c) => c.path)
    const added = usable.length ? this.evaluations.addTrainingImages(productId, usable, by) : 0
    return { added, total: this.evaluations.trainingAdditions(productId).length, refused }
  }

  /** Takes images out of the product's training set (for its next runs). */
  removeGood(productId: string, paths: readonly string[]): { removed: number; total: number } {
    const removed = this.evaluations.removeTrainingImages(productId, [...paths])
    return { removed, total: this.evaluations.trainingAdditions(productId).length }
  }
}
