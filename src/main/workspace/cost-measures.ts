// Measured run costs per machine and cost-relevant settings, so the training form's estimate is instant the second time.
import type { SqlDriver } from './sql/sql-driver'
import type { RunCostMeasure } from '../../shared/pbas/estimate'

/** The workspace's run-cost measurements, keyed by machine + settings. */
export class CostMeasureStore {
  constructor(private readonly db: SqlDriver) {}

  /** The measurement under `key` if it is younger than `maxAgeMs` (machines change speed from day to day). */
  get(key: string, maxAgeMs: number, now = Date.now()): RunCostMeasure | null {
    const row = this.db.get('SELECT measure_json, measured_at FROM run_cost_measures WHERE key = ?', [key]) as { measure_json: string; measured_at: string } | undefined
    if (!row || now - Date.parse(row.measured_at) > maxAgeMs) return null
    return JSON.parse(row.measure_json) as RunCostMeasure
  }

  put(key: string, m: RunCostMeasure): void {
    this.db.run('INSERT INTO run_cost_measures (key, measure_json, measured_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET measure_json = excluded.measure_json, measured_at = excluded.measured_at', [key, JSON.stringify(m), m.measuredAt])
  }
}
