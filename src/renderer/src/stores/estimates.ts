// Pinia store for run-time estimates: asks the engine for measured run costs at the form's settings (cached or measured).
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { describeError, guarded } from './guarded'
import type { InvokeArg } from '../../../shared/ipc/invoke-map'
import { COST_KEYS, type RunCostMeasure } from '../../../shared/pbas/estimate'

type Settings = InvokeArg<'runs:estimate'>

/** The settings that change measured costs, as a key (epochs or learning rates do not). */
export function costKeyOf(datasetId: string, config: Record<string, unknown>): string {
  return JSON.stringify([datasetId, ...COST_KEYS.map((k) => config[k] ?? null)])
}

export const useEstimatesStore = defineStore('estimates', () => {
  const measures = ref<Record<string, RunCostMeasure>>({})
  /** the measurement under way: its key, job and what it is timing */
  const measuring = ref<{ key: string; jobId: string; message: string; done: number; total: number } | null>(null)
  const failed = ref<Record<string, string>>({})
  const error = ref<string | null>(null)
  const guard = guarded(error)
  let off: (() => void) | null = null

  function onJob(e: import('../../../shared/models/job').JobEvent): void {
    const m = measuring.value
    if (!m || e.jobId !== m.jobId || e.kind !== 'run-estimate') return
    if (e.type === 'progress') {
      const p = e.progress
      measuring.value = { ...m, message: p.message, done: p.done, total: p.total }
      return
    }
    if (e.state === 'succeeded') measures.value = { ...measures.value, [m.key]: e.result }
    else if (e.state === 'failed') failed.value = { ...failed.value, [m.key]: describeError(e.error) }
    if (e.state !== 'queued' && e.state !== 'running') measuring.value = null
  }

  /** Makes sure a measurement for these settings exists or is under way; a stale measurement job is cancelled. */
  async function request(key: string, settings: Settings, refresh = false): Promise<void> {
    if (!refresh && (measures.value[key] || failed.value[key] || measuring.value?.key === key)) return
    off ??= onEvent('jobs:event', onJob)
    const stale = measuring.value
    if (stale && stale.key !== key) await guard(() => invoke('jobs:cancel', { jobId: stale.jobId }))
    const { [key]: _gone, ...rest } = failed.value
    failed.value = rest
    const r = await guard(() => invoke('runs:estimate', { ...settings, refresh }))
    if (!r) return
    if (r.measure) measures.value = { ...measures.value, [key]: r.measure }
    else measuring.value = { key, jobId: r.jobId, message: 'queued', done: 0, total: 5 }
  }

  return { measures, measuring, failed, error, request, onJob }
})
