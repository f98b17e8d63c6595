// Evaluating a saved model: a folder or test split into a review folder, or a data set's test split into metrics.
import type { ReviewMetrics, ReviewSummary } from '../../../shared/models/review'
import type { BackboneContext } from '../backbone/load-backbone'
import { evaluateModel, reportedMetrics } from './evaluate-model'
import { PbasModel } from './predict'
import { reviewSamples } from '../review/review-samples'
import { writeReview } from './write-review'
import type { JobOptions } from '../util/job'

/** Loads a model, runs `work` with it, and always frees it. */
export async function withModel<T>(dir: string, ctx: BackboneContext, work: (model: PbasModel) => Promise<T>): Promise<T> {
  const model = await PbasModel.load(dir, ctx)
  try {
    return await work(model)
  } finally {
    model.dispose()
  }
}

/** Scores a data set's test split (or a plain folder of images, unlabelled) and writes the review folder. */
export async function reviewFolder(input: { model: string; data: string; category?: string; out: string }, ctx: BackboneContext, opts: JobOptions = {}): Promise<ReviewSummary> {
  const { kind, labelled, samples } = await reviewSamples(input.data, input.category)
  return withModel(input.model, ctx, (model) => writeReview({ model, samples, labelled, source: { data: input.data, category: input.category, kind }, outDir: input.out }, opts))
}

/** The metrics of a model on a data set's test split. */
export function evaluateFolder(input: { model: string; data: string; category?: string }, ctx: BackboneContext, opts: JobOptions = {}): Promise<ReviewMetrics> {
  return withModel(input.model, ctx, async (model) => reportedMetrics(await evaluateModel(model, input.data, input.category, opts)))
}
