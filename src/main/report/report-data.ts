// Gathers everything a run's report shows from the workspace, the model folder and the review folder.
import type { ProductStore } from '../workspace/products'
import type { RunStore } from '../workspace/runs'
import type { EvaluationStore } from '../workspace/evaluations'
import type { ChosenThreshold, EvaluationRecord, ReviewItem, ReviewSummary, Verdict } from '../../shared/models/review'
import type { Product, RunEpoch, RunRecord } from '../../shared/models/workspace'
import { readModelMeta, type ModelMeta } from '../engine/model/model-file'
import { readReviewSummary } from '../engine/review/review-file'
import { ENGINE_VERSION } from '../engine/version'
import { WorkspaceRequestError } from '../workspace/products'
import { chosenOrModelThreshold } from '../../shared/review/threshold-stats'

/** The report's content, independent of how it is rendered. */
export interface ReportData {
  generatedAt: string
  reportEngineVersion: string
  product: Product
  run: RunRecord
  model: ModelMeta
  epochs: RunEpoch[]
  evaluation: EvaluationRecord
  review: Omit<ReviewSummary, 'items'>
  /** worst first, from the workspace */
  items: ReviewItem[]
  threshold: ChosenThreshold
  verdicts: Verdict[]
  trainingAdditions: string[]
}

/** The stores a report reads. */
export interface ReportSources {
  products: ProductStore
  runs: RunStore
  evaluations: EvaluationStore
}

/** Loads a report's data for one evaluation of a run. */
export async function collectReport(src: ReportSources, evaluationId: string): Promise<ReportData> {
  const evaluation = src.evaluations.get(evaluationId)
  if (evaluation.state !== 'succeeded') throw new WorkspaceRequestError(`evaluation ${evaluationId} is ${evaluation.state}; reports need a finished evaluation`)
  const run = src.runs.get(evaluation.runId)
  const product = src.products.list().find((p) => p.id === run.productId)
  if (!product) throw new WorkspaceRequestError(`the product of run ${run.id} no longer exists`)
  const model = await readModelMeta(run.modelDir)
  const review = await readReviewSummary(evaluation.dir)
  return {
    generatedAt: new Date().toISOString(),
    reportEngineVersion: ENGINE_VERSION,
    product,
    run,
    model,
    epochs: src.runs.epochs(run.id),
    evaluation,
    review,
    items: src.evaluations.items(evaluationId),
    threshold: chosenOrModelThreshold(evaluation.threshold, review.thresholds.model),
    verdicts: src.evaluations.verdicts(run.id),
    trainingAdditions: src.evaluations.trainingAdditions(product.id),
  }
}
