// Training runs and their per-epoch figures in the workspace database.
import { isConstraint, type SqlDriver } from './sql/sql-driver'
import { randomUUID } from 'node:crypto'
import type { RunEpoch, RunRecord } from '../../shared/models/workspace'
import type { JobState } from '../../shared/models/job'
import { WorkspaceRequestError } from './products'
import type { PbasConfig } from '../../shared/models/pbas-config'
import type { ReviewMetrics } from '../../shared/models/review'
import type { InspectionRegion } from '../../shared/image/region'
import { DEFAULT_CONFIG, resolveConfig } from '../engine/pbas/config'

/**
 * A run's stored configuration. Runs store their resolved configuration; rows from before that (a preset
 * merge) or from before a parameter existed are completed once here, with today's defaults for what is missing.
 */
function storedConfig(stored: Partial<PbasConfig>): PbasConfig {
  const complete = Object.keys(DEFAULT_CONFIG).every((k) => Object.hasOwn(stored, k))
  return complete ? { ...DEFAULT_CONFIG, ...stored } : resolveConfig(stored)
}

interface RunRow {
  id: string
  product_id: string
  dataset_id: string | null
  state: JobState
  config_json: string
  model_dir: string
  created_at: string
  started_at: string | null
  finished_at: string | null
  error: string | null
  metrics_json: string | null
  name: string | null
  note: string | null
  estimate_seconds: number | null
  region_json: string | null
}

const toRun = (r: RunRow): RunRecord => ({
  id: r.id, productId: r.product_id, datasetId: r.dataset_id, state: r.state, config: storedConfig(JSON.parse(r.config_json)), modelDir: r.model_dir,
  createdAt: r.created_at, startedAt: r.started_at ?? undefined, finishedAt: r.finished_at ?? undefined, error: r.error ?? undefined,
  metrics: r.metrics_json ? JSON.parse(r.metrics_json) : undefined,
  name: r.name ?? undefined, note: r.note ?? undefined, estimateSeconds: r.estimate_seconds ?? undefined,
  region: r.region_json ? (JSON.parse(r.region_json) as InspectionRegion) : undefined,
})

/** What a person says about a run when starting it: its name, a note, and the duration estimate they were shown. */
export interface RunAbout {
  name?: string
  note?: string
  estimateSeconds?: number
  /** the product's region to inspect when the run was created (a resume trains with exactly this) */
  region?: InspectionRegion
}

/** Runs of every product in one workspace. */
export class RunStore {
  constructor(private readonly db: SqlDriver) {}

  create(productId: string, datasetId: string, config: PbasConfig, modelDir: (id: string) => string, about: RunAbout = {}): RunRecord {
    const id = randomUUID()
    try {
      this.db.run('INSERT INTO runs (id, product_id, dataset_id, state, config_json, model_dir, created_at, name, note, estimate_seconds, region_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [id, productId, datasetId, 'queued', JSON.stringify(config), modelDir(id), new Date().toISOString(), about.name ?? null, about.note ?? null, about.estimateSeconds ?? null, about.region ? JSON.stringify(about.region) : null])
    } catch (err) {
      if (isConstraint(err, 'foreign-key')) throw new WorkspaceRequestError(`no product ${productId} or data set ${datasetId}`)
      throw err
    }
    return this.get(id)
  }

  /** Renames a run and/or replaces its note (an empty name goes back to the default from its settings). */
  describe(id: string, about: { name?: string; note?: string }): RunRecord {
    this.get(id)
    if (about.name !== undefined) this.db.run('UPDATE runs SET name = ? WHERE id = ?', [about.name.trim() || null, id])
    if (about.note !== undefined) this.db.run('UPDATE runs SET note = ? WHERE id = ?', [about.note || null, id])
    return this.get(id)
  }

  get(id: string): RunRecord {
    const row = this.db.get('SELECT * FROM runs WHERE id = ?', [id]) as RunRow | undefined
    if (!row) throw new WorkspaceRequestError(`no run ${id}`)
    return toRun(row)
  }

  list(productId: string): RunRecord[] {
    return (this.db.all('SELECT * FROM runs WHERE product_id = ? ORDER BY created_at DESC', [productId]) as RunRow[]).map(toRun)
  }

  /** Records a state change; running sets the start time, final states the end time. */
  setState(id: string, state: JobState, error?: string, metrics?: ReviewMetrics): RunRecord {
    const now = new Date().toISOString()
    this.db.run(`UPDATE runs SET state = ?, error = ?, metrics_json = COALESCE(?, metrics_json),
      started_at = CASE WHEN ? = 'running' THEN ? ELSE started_at END,
      finished_at = CASE WHEN ? IN ('succeeded', 'failed', 'cancelled') THEN ? ELSE NULL END WHERE id = ?`, [state, error ?? null, metrics ? JSON.stringify(metrics) : null, state, now, state, now, id])
    return this.get(id)
  }

  /** Stores an epoch's means (replacing the same epoch of an earlier attempt, e.g. after a resume). */
  addEpoch(id: string, e: RunEpoch): void {
    this.db.run('INSERT INTO run_epochs (run_id, epoch, means_json, validation, seconds) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, epoch) DO UPDATE SET means_json = excluded.means_json, validation = excluded.validation, seconds = excluded.seconds', [id, e.epoch, JSON.stringify(e.means), e.validation, e.seconds])
  }

  /** Forgets a run's epochs (it restarts from the beginning). */
  clearEpochs(id: string): void {
    this.db.run('DELETE FROM run_epochs WHERE run_id = ?', [id])
  }

  epochs(id: string): RunEpoch[] {
    const rows = this.db.all('SELECT * FROM run_epochs WHERE run_id = ? ORDER BY epoch', [id]) as { epoch: number; means_json: string; validation: number | null; seconds: number }[]
    return rows.map((r) => ({ epoch: r.epoch, means: JSON.parse(r.means_json), validation: r.validation, seconds: r.seconds }))
  }

  /** Runs left 'running' or 'queued' by a crash or a closed app: they can be resumed, so mark them cancelled. */
  markInterrupted(): number {
    return this.db.run("UPDATE runs SET state = 'cancelled', error = 'interrupted (the app closed); resume to continue from the last checkpoint' WHERE state IN ('queued', 'running')").changes
  }
}
