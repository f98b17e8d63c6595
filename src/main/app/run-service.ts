// Training runs end to end for the app: workspace records + the job runner + events for the renderer.
import { join } from 'node:path'
import type { Jobs } from '../jobs/job-lanes'
import type { ProductStore } from '../workspace/products'
import type { RunAbout, RunStore } from '../workspace/runs'
import { runDefaultName } from '../../shared/pbas/run-name'
import type { DatasetRecord, RunEvent, RunRecord } from '../../shared/models/workspace'
import { PRESETS, resolveConfig } from '../engine/pbas/config'
import type { EvaluationStore } from '../workspace/evaluations'
import type { ReviewService } from './review-service'
import { WorkspaceRequestError } from '../workspace/products'

/** Starts, cancels and resumes runs; keeps the workspace in step with the jobs; emits RunEvents. */
export class RunService {
  private readonly jobToRun = new Map<string, string>()
  private readonly listeners = new Set<(e: RunEvent) => void>()

  constructor(
    private readonly runs: RunStore,
    private readonly products: ProductStore,
    private readonly runner: Jobs,
    private readonly modelsDir: string,
    // Training jobs write their test split's review; the review service records it before the run's new state is emitted.
    private readonly review?: { evaluations: EvaluationStore; service: ReviewService },
  ) {
    runs.markInterrupted()
    runner.on((e) => {
      const runId = this.jobToRun.get(e.jobId)
      if (!runId || e.kind !== 'train') return
      if (e.type === 'progress') {
        const p = e.progress
        if (p.kind === 'epoch') this.runs.addEpoch(runId, { epoch: p.epoch, means: p.means, validation: p.validation, seconds: p.seconds })
        this.emit({ type: 'progress', runId, progress: p })
        return
      }
      if (e.state === 'queued') return
      let run: RunRecord
      if (e.state === 'succeeded') {
        if (e.result.review) this.review?.service.recordTestSplit(runId, e.result.review)
        run = this.runs.setState(runId, 'succeeded', undefined, e.result.metrics)
      } else run = this.runs.setState(runId, e.state, e.state === 'running' ? undefined : e.error.message)
      if (e.state !== 'running') this.jobToRun.delete(e.jobId)
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

  /** Starts a run from a preset plus overrides; the configuration is resolved (and validated) here, once, and stored. */
  start(productId: string, datasetId: string, preset: string, overrides: Record<string, unknown> = {}, about: RunAbout = {}): RunRecord {
    if (!Object.hasOwn(PRESETS, preset)) throw new WorkspaceRequestError(`unknown preset ${preset}; use ${Object.keys(PRESETS).join(' or ')}`)
    const config = resolveConfig(PRESETS[preset], overrides)
    const dataset = this.products.dataset(datasetId)
    if (dataset.productId !== productId) throw new WorkspaceRequestError(`data set ${datasetId} belongs to another product`)
    const run = this.runs.create(productId, datasetId, config, (id) => join(this.modelsDir, id), { ...about, name: about.name ?? runDefaultName(config, preset), region: this.products.get(productId).region })
    this.submit(run, dataset)
    return this.runs.get(run.id)
  }

  /** Continues a cancelled or failed run from its last checkpoint, with the configuration it was created with. */
  resume(runId: string, restart = false): RunRecord {
    const run = this.runs.get(runId)
    if (run.state === 'running' || run.state === 'queued' || run.state === 'succeeded') throw new WorkspaceRequestError(`run ${runId} is ${run.state}; only cancelled or failed runs resume`)
    if (!run.datasetId) throw new WorkspaceRequestError(`run ${runId} has no data set any more; start a new run`)
    if (restart) this.runs.clearEpochs(runId)
    this.submit(run, this.products.dataset(run.datasetId), restart)
    return this.runs.get(runId)
  }

  cancel(runId: string): boolean {
    for (const [jobId, r] of this.jobToRun) if (r === runId) return this.runner.cancel(jobId)
    return false
  }

  private submit(run: RunRecord, dataset: DatasetRecord, restart = false): void {
    const job = this.runner.submit({
      kind: 'train', data: dataset.root, category: dataset.category, out: run.modelDir, config: run.config, restart, region: run.region,
      extraGood: this.review?.evaluations.trainingAdditions(run.productId, run.createdAt), reviewDir: this.review?.service.testSplitDir(run.id),
    })
    this.jobToRun.set(job.id, run.id)
    this.runs.setState(run.id, 'queued')
  }
}
