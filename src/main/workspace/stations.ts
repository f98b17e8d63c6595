// The fleet's records in the workspace: each station's latest report, and the model run pushed to it.
import type { FleetReport, FleetStation } from '../../shared/models/fleet'
import { STATION_OFFLINE_AFTER_MS } from '../../shared/models/fleet'
import { isConstraint, type SqlDriver } from './sql/sql-driver'
import { WorkspaceRequestError } from './products'

interface StationRow {
  id: string
  name: string
  host: string
  run_id: string | null
  pushed_run_id: string | null
  status_json: string
  seen_at: string
}

/**
 * Stations and pushes. A station writes only its own report columns and the engineer only `pushed_run_id`, so
 * the two never overwrite each other; the station clears a push only if it is still the one it took.
 */
export class StationStore {
  constructor(private readonly db: SqlDriver) {}

  /** A station's report (created on its first). */
  report(id: string, name: string, host: string, runId: string | null, report: FleetReport, now = new Date()): void {
    try {
      this.db.run(
        `INSERT INTO stations (id, name, host, run_id, status_json, seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, host = excluded.host, run_id = excluded.run_id, status_json = excluded.status_json, seen_at = excluded.seen_at`,
        [id, name, host, runId, JSON.stringify(report), now.toISOString()],
      )
    } catch (err) {
      // The run was deleted from the workspace while the station used its model: report it as an outside model.
      if (!isConstraint(err, 'foreign-key')) throw err
      this.report(id, name, host, null, report, now)
    }
  }

  list(now = Date.now()): FleetStation[] {
    return this.db.all<StationRow>('SELECT * FROM stations ORDER BY lower(name), id').map((r) => this.toStation(r, now))
  }

  get(id: string, now = Date.now()): FleetStation {
    const r = this.db.get<StationRow>('SELECT * FROM stations WHERE id = ?', [id])
    if (!r) throw new WorkspaceRequestError(`no station ${id}`)
    return this.toStation(r, now)
  }

  /** Pushes a finished run's model to a station: it takes it between parts and reports the switch (its own run again: it reloads it). */
  push(id: string, runId: string): FleetStation {
    const run = this.db.get<{ state: string; model_dir: string | null }>('SELECT state, model_dir FROM runs WHERE id = ?', [runId])
    if (!run) throw new WorkspaceRequestError(`no run ${runId}`)
    if (run.state !== 'succeeded' || !run.model_dir) throw new WorkspaceRequestError(`run ${runId} has no finished model to push (it is ${run.state})`)
    if (this.db.run('UPDATE stations SET pushed_run_id = ? WHERE id = ?', [runId, id]).changes === 0) throw new WorkspaceRequestError(`no station ${id}`)
    return this.get(id)
  }

  /** The run pushed to a station and its model folder, or null. */
  pushed(id: string): { runId: string; modelDir: string } | null {
    const r = this.db.get<{ run_id: string; model_dir: string }>('SELECT r.id AS run_id, r.model_dir FROM stations s JOIN runs r ON r.id = s.pushed_run_id WHERE s.id = ?', [id])
    return r ? { runId: r.run_id, modelDir: r.model_dir } : null
  }

  /** The station took the pushed run: the push is done unless the engineer pushed another meanwhile. */
  took(id: string, runId: string): void {
    this.db.run('UPDATE stations SET pushed_run_id = NULL WHERE id = ? AND pushed_run_id = ?', [id, runId])
  }

  /** The run whose model lives in this folder, if the workspace has one. */
  runOfModel(modelDir: string): string | null {
    return this.db.get<{ id: string }>('SELECT id FROM runs WHERE model_dir = ?', [modelDir])?.id ?? null
  }

  private toStation(r: StationRow, now: number): FleetStation {
    return {
      id: r.id, name: r.name, host: r.host, runId: r.run_id, pushedRunId: r.pushed_run_id, report: JSON.parse(r.status_json) as FleetReport, seenAt: r.seen_at,
      online: now - Date.parse(r.seen_at) < STATION_OFFLINE_AFTER_MS && (JSON.parse(r.status_json) as FleetReport).state === 'running',
    }
  }
}
