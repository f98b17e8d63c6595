// Evaluations end to end for the app: workspace records + review jobs (test split or folder) + feature plots.
import { join } from 'node:path'
import type { Jobs } from '../jobs/job-lanes'
import type { ProductStore } from '../workspace/products'
import type { RunStore } from '../workspace/runs'
import type { EvaluationStore } from '../workspace/evaluations'
import type { EvaluationRecord, ReviewSummary } from '../../shared/models/review'
import type { PlotStage } from '../../shared/models/feature-plot'
import { WorkspaceRequestError } from '../workspace/products'
import { listImages } from '../engine/data/list-files'
import { readDataset } from '../engine/data/read-dataset'

/** Starts and tracks evaluations of finished runs; their progress reaches the renderer as jobs:event. */
export class ReviewService {
  private readonly jobToEval = new Map<string, string>()

  constructor(
    private readonly evaluations: EvaluationStore,
    private readonly runs: RunStore,
    private readonly products: ProductStore,
    private readonly runner: Jobs,
    private readonly reviewsDir: string,
  ) {
    evaluations.markInterrupted()
    runner.on((e) => {
      const id = this.jobToEval.get(e.jobId)
      if (!id || e.kind !== 'review' || e.type !== 'state' || e.state === 'queued') return
      if (e.state === 'succeeded') this.evaluations.complete(id, e.result.metrics, e.result.items)
      else this.evaluations.setState(id, e.state, e.state === 'running' ? undefined : e.error.message)
      if (e.state !== 'running') this.jobToEval.delete(e.jobId)
    })
  }

  /** Where a run's test-split review goes when its training job finishes. */
  testSplitDir(runId: string): string {
    return join(this.reviewsDir, runId, 'test-split')
  }

  /** Records the review a training job wrote for its test split. */
  recordTestSplit(runId: string, summary: ReviewSummary): EvaluationRecord {
    const e = this.evaluations.create(runId, summary.source.data, summary.source.category, () => this.testSplitDir(runId))
    return this.evaluations.complete(e.id, summary.metrics, summary.items)
  }

  /** Evaluates a finished run's model on a folder (a data set's test split or plain images); default: its own data set. */
  evaluate(runId: string, dir?: string, category?: string): { evaluation: EvaluationRecord; jobId: string } {
    const run = this.runs.get(runId)
    if (run.state !== 'succeeded') throw new WorkspaceRequestError(`run ${runId} is ${run.state}; only finished runs have a model to evaluate`)
    const dataset = run.datasetId ? this.products.dataset(run.datasetId) : null
    const data = dir ?? dataset?.root
    if (!data) throw new WorkspaceRequestError('choose a folder to evaluate (the run has no data set any more)')
    const cat = dir ? category : dataset?.category
    const evaluation = this.evaluations.create(runId, data, cat, (id) => join(this.reviewsDir, runId, id))
    const job = this.runner.submit({ kind: 'review', model: run.modelDir, data, category: cat, out: evaluation.dir })
    this.jobToEval.set(job.id, evaluation.id)
    return { evaluation, jobId: job.id }
  }

  cancel(evaluationId: string): boolean {
    for (const [jobId, id] of this.jobToEval) if (id === evaluationId) return this.runner.cancel(jobId)
    return false
  }

  /** Starts a PCA feature plot of a run at a stage; the plot is the job's result. */
  plot(runId: string, stage: PlotStage): { jobId: string } {
    const run = this.runs.get(runId)
    const dataset = run.datasetId ? this.products.dataset(run.datasetId) : null
    if (!dataset) throw new WorkspaceRequestError('the run has no data set any more to sample features from')
    if (stage === 'final' && run.state !== 'succeeded') throw new WorkspaceRequestError(`run ${runId} has no final model yet; plot the latest checkpoint`)
    return { jobId: this.runner.submit({ kind: 'feature-plot', modelDir: run.modelDir, data: dataset.root, category: dataset.category, stage, region: run.region }).id }
  }

  /**
   * Recalibrates a finished run's model without retraining: from the parts reviewers confirmed good in one of
   * its folder evaluations, or from a folder of good parts. Test-split images of the product's data sets never
   * calibrate (the engine also refuses the images the model trained on).
   */
  async recalibrate(runId: string, from: { evaluationId: string } | { dir: string } | { images: string[]; origin: string }, by: string, replace: boolean): Promise<{ jobId: string }> {
    const run = this.runs.get(runId)
    if (run.state !== 'succeeded') throw new WorkspaceRequestError(`run ${runId} is ${run.state}; only finished runs have a model to recalibrate`)
    let images: string[]
    let origin: string
    if ('images' in from) {
      images = from.images
      origin = from.origin
    } else if ('evaluationId' in from) {
      const e = this.evaluations.get(from.evaluationId)
      if (e.runId !== runId) throw new WorkspaceRequestError(`evaluation ${e.id} belongs to another run`)
      const items = this.evaluations.items(e.id)
      if (items.some((x) => x.label !== null)) throw new WorkspaceRequestError('a labelled test split never calibrates its own model; evaluate a folder of new parts and confirm the good ones')
      const good = new Set(this.evaluations.verdicts(runId).filter((v) => v.verdict === 'good').map((v) => v.imagePath))
      images = items.filter((x) => good.has(x.path)).map((x) => x.path)
      if (!images.length) throw new WorkspaceRequestError('no part of that evaluation is confirmed good yet; mark good parts first')
      origin = `parts confirmed good in evaluation ${e.id.slice(0, 8)} (${e.source})`
    } else {
      images = await listImages(from.dir).catch(() => {
        throw new WorkspaceRequestError(`${from.dir} is not a folder of images; choose a folder that holds good parts`)
      })
      if (!images.length) throw new WorkspaceRequestError(`${from.dir} holds no images; choose a folder that holds good parts`)
      origin = `good images in ${from.dir}`
    }
    const exclude: string[] = []
    for (const ds of this.products.datasets(run.productId)) {
      const listed = await readDataset(ds.root, { category: ds.category }).catch(() => null)
      if (listed) exclude.push(...listed.samples.filter((s) => s.split === 'test').map((s) => s.path))
    }
    return { jobId: this.runner.submit({ kind: 'calibrate', model: run.modelDir, images, by, from: origin, exclude, replace }).id }
  }
}
