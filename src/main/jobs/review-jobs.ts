// Worker-side review jobs: write a model's review folder for a test split or folder, and feature plots.
import type { JobOptions } from '../engine/util/job'
import { defaultDataDir } from '../engine/util/data-dir'
import { defaultResourcesDir } from '../engine/backbone/load-backbone'
import { PbasModel } from '../engine/pbas/predict'
import { goodTrainingSamples, readDataset } from '../engine/data/read-dataset'
import { reviewSamples } from '../engine/review/review-samples'
import { writeReview } from '../engine/review/write-review'
import { featurePlot, type FeaturePlot, type PlotStage } from '../engine/analysis/feature-plot'
import type { ReviewSummary } from '../../shared/models/review'

const backbone = () => ({ dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() })

/** Good training images of a data set plus reviewer additions: the pool for "nearest good image". */
async function goodImages(from: { dir: string; category?: string; extra?: string[] } | null): Promise<string[]> {
  if (!from) return []
  const ds = await readDataset(from.dir, { category: from.category })
  const listed = goodTrainingSamples(ds).map((s) => s.path)
  return [...new Set([...listed, ...(from.extra ?? [])])]
}

/** Scores a data set's test split (or a plain folder of images) and writes the review folder. */
export async function reviewWithModel(
  model: PbasModel,
  input: { data: string; category?: string; out: string; goodTraining: { dir: string; category?: string; extra?: string[] } | null },
  opts: JobOptions<object>,
): Promise<ReviewSummary> {
  const { kind, labelled, samples } = await reviewSamples(input.data, input.category)
  return writeReview({ model, samples, labelled, source: { data: input.data, category: input.category, kind }, goodTraining: await goodImages(input.goodTraining), outDir: input.out }, opts)
}

/** The 'review' job: loads the model, then {@link reviewWithModel}. */
export async function runReview(
  input: { model: string; data: string; category?: string; out: string; goodTraining: { dir: string; category?: string; extra?: string[] } | null },
  opts: JobOptions<object>,
): Promise<ReviewSummary> {
  const model = await PbasModel.load(input.model, backbone())
  try {
    return await reviewWithModel(model, input, opts)
  } finally {
    model.dispose()
  }
}

/** The 'feature-plot' job. */
export function runFeaturePlot(input: { modelDir: string; data: string; category?: string; stage: PlotStage }, opts: JobOptions<object>): Promise<FeaturePlot> {
  return featurePlot({ ...input, backbone: backbone() }, opts)
}
