// Training runs end to end for the app: workspace records + the job runner + events for the renderer.
import { join } from 'node:path'
import type { Jobs } from '../jobs/job-lanes'
import type { ProductStore } from '../workspace/products'
import type { RunAbout, RunStore } from '../workspace/runs'
import { runDefaultName } from '../../shared/pbas/run-name'
import type { DatasetRecord, RunEvent, RunRecord } from '../../shared/models/workspace'
import { PRESETS } from '../engine/pbas/config'
import type { EvaluationStore } from '../workspace/evaluations'
import type { ReviewService } from './review-service'
import type { ReviewSummary } from '../../shared/models/review'

/** Starts, cancels and resumes runs; keeps the workspace in step with the jobs; emits RunEvents. */
export class RunService {
  private readonly jobToRun = new Map<string, string>()
  private readonly listeners = new Set<(e: RunEvent) => void>()

  constructor(
    private readonly runs: RunStore,
    private readonly products: ProductStore,
    private readonly runner: Jobs,
    private readonly modelsDir: string,
    private readonly review?: { evaluations: EvaluationStore; service: ReviewService },
  ) {
    runs.markInterrupted()
    runner.on((e) => {
      const runId = this.jobToRun.get(e.jobId)
      if (!runId) return
      if (e.type === 'progress') {
        const p = e.progress
        if (p.kind === 'epoch') this.runs.addEpoch(runId, { epoch: p.epoch as number, means: p.means as Record<string, number>, validation: (p.validation as number | null) ?? null, seconds: p.seconds as number })
        this.emit({ type: 'progress', runId, progress: p })
        return
      }
      const result = e.state === 'succeeded' ? (e.result as { metrics?: Record<string, number | null>; review?: ReviewSummary } | undefined) : undefined
      const metrics = result?.metrics
      if (result?.review) this.review?.service.recordTestSplit(runId, result.review)
      const run = this.runs.setState(runId, e.state, e.error, metrics)
      if (e.state === 'succeeded' || e.state === 'failed' || e.state === 'cancelled') this.jobToRun.delete(e.jobId)
      this.emit({ type: 'state', runId, run })
    })
  }

  on(listener: (e: RunEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(e: RunEvent): void {
    for (const l of this.listeners) l(e)
  }

  /** Starts a run from a preset plus overrides (the advanced section's PBAS parameters). */
  start(productId: string, datasetId: string, preset: string, overrides: Record<string, unknown> = {}, about: RunAbout = {}): RunRecord {
    if (!PRESETS[preset]) throw new Error(`unknown preset ${preset}; use ${Object.keys(PRESETS).join(' or ')}`)
    const dataset = this.products.dataset(datasetId)
    if (dataset.productId !== productId) throw new Error(`data set ${datasetId} belongs to another product`)
    const config = { ...PRESETS[preset], ...overrides }
    const run = this.runs.create(productId, datasetId, config, (id) => join(this.modelsDir, id), { ...about, name: about.name ?? runDefaultName(config, preset) })
    this.submit(run, dataset)
    return this.runs.get(run.id)
  }

  /** Continues a cancelled or failed run from its last checkpoint. */
  resume(runId: string): RunRecord {
    const run = this.runs.get(runId)
    if (run.state === 'running' || run.state === 'queued' || run.state === 'succeeded') throw new Error(`run ${runId} is ${run.state}; only cancelled or failed runs resume`)
    this.submit(run)
    return this.runs.get(runId)
  }

  cancel(runId: string): boolean {
    for (const [jobId, r] of this.jobToRun) if (r === runId) return this.runner.cancel(jobId)
    return false
  }

  private submit(run: RunRecord, dataset: DatasetRecord = this.products.dataset(run.datasetId!)): void {
    const job = this.runner.submit({
      kind: 'train', data: dataset.root, category: dataset.category, out: run.modelDir, config: run.config,
      extraGood: this.review?.evaluations.trainingAdditions(run.productId, run.createdAt), reviewDir: this.review?.service.testSplitDir(run.id),
    })
    this.jobToRun.set(job.id, run.id)
    this.runs.setState(run.id, 'queued')
  }
}
