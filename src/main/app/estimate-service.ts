// Run-time estimates for the training form: a cached measurement for this machine and settings, or a measuring job.
import { cpus, hostname } from 'node:os'
import { goodTrainingSamples, readDataset } from '../engine/data/read-dataset'
import { PRESETS, resolveConfig } from '../engine/pbas/config'
import type { Jobs } from '../jobs/job-lanes'
import type { ProductStore } from '../workspace/products'
import type { CostMeasureStore } from '../workspace/cost-measures'
import { COST_KEYS, type EstimateReply } from '../../shared/pbas/estimate'
import type { PbasConfig } from '../../shared/pbas/parameters'

/** A measurement is reused for this long; after that (or on request) the machine is timed again. */
export const MEASURE_MAX_AGE_MS = 6 * 3600_000

/** This machine and the settings that change a run's costs, as one cache key. */
export function costKey(config: PbasConfig): string {
  const machine = `${hostname()}|${cpus()[0]?.model ?? '?'}|${cpus().length}`
  return JSON.stringify([machine, ...COST_KEYS.map((k) => config[k] ?? null)])
}

/** Serves estimates from the cache and measures (one job per key at a time) when there is none. */
export class EstimateService {
  private readonly pending = new Map<string, string>()
  private readonly jobKeys = new Map<string, string>()

  constructor(
    private readonly store: CostMeasureStore,
    private readonly products: ProductStore,
    private readonly runner: Jobs,
  ) {
    runner.on((e) => {
      const key = this.jobKeys.get(e.jobId)
      if (!key || e.kind !== 'run-estimate' || e.type !== 'state' || e.state === 'queued' || e.state === 'running') return
      if (e.state === 'succeeded') this.store.put(key, e.result)
      this.jobKeys.delete(e.jobId)
      this.pending.delete(key)
    })
  }

  /** `refresh` measures again even when a recent measurement exists. */
  async estimate(datasetId: string, preset: string, overrides: Record<string, unknown>, refresh = false): Promise<EstimateReply> {
    const config = resolveConfig(Object.hasOwn(PRESETS, preset) ? PRESETS[preset] : {}, overrides)
    const key = costKey(config)
    const cached = refresh ? null : this.store.get(key, MEASURE_MAX_AGE_MS)
    if (cached) return { measure: cached, jobId: null }
    const running = this.pending.get(key)
    if (running) return { measure: null, jobId: running }
    const dataset = this.products.dataset(datasetId)
    const ds = await readDataset(dataset.root, { category: dataset.category })
    const samples = goodTrainingSamples(ds).slice(0, 3).map((s) => s.path)
    const job = this.runner.submit({ kind: 'run-estimate', config, samples })
    this.pending.set(key, job.id)
    this.jobKeys.set(job.id, key)
    return { measure: null, jobId: job.id }
  }
}
