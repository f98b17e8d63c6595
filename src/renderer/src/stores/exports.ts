// Pinia store for ONNX exports of finished runs: start one, follow its job, show where the files went.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { describeError, guarded } from './guarded'
import type { JobEvent } from '../../../shared/models/job'
import type { ExportOutcome } from '../../../shared/models/export'

/** One run's latest export. */
export interface RunExport {
  jobId: string
  dir: string
  state: 'running' | 'done' | 'failed'
  outcome?: ExportOutcome
  error?: string
}

export const useExportsStore = defineStore('exports', () => {
  const byRun = ref<Record<string, RunExport>>({})
  const error = ref<string | null>(null)
  const guard = guarded(error)
  let off: (() => void) | null = null

  function onJob(e: JobEvent): void {
    if (e.type !== 'state' || e.kind !== 'export') return
    const runId = Object.keys(byRun.value).find((id) => byRun.value[id].jobId === e.jobId)
    if (!runId) return
    const x = byRun.value[runId]
    if (e.state === 'succeeded') byRun.value[runId] = { ...x, state: 'done', outcome: e.result }
    else if (e.state === 'failed' || e.state === 'cancelled') byRun.value[runId] = { ...x, state: 'failed', error: describeError(e.error) }
  }

  /** Exports a run's model into `dir` (empty: the workspace's exports folder). */
  async function exportRun(runId: string, dir?: string): Promise<void> {
    off ??= onEvent('jobs:event', onJob)
    const r = await guard(() => invoke('runs:export', { runId, dir: dir?.trim() || undefined }))
    if (r) byRun.value = { ...byRun.value, [runId]: { jobId: r.jobId, dir: r.dir, state: 'running' } }
  }

  async function chooseFolder(): Promise<string | null> {
    return (await guard(() => invoke('dialog:open-folder', undefined))) ?? null
  }

  return { byRun, error, exportRun, chooseFolder }
})
