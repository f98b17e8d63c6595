// Pinia store for reports: export HTML + PDF + CSV of an evaluation (written by the main process), list a run's past ones, open or save a file.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke } from '../api'
import { guarded } from './guarded'
import type { PastReport, ReportFiles } from '../../../shared/ipc/invoke-map'
import type { OverlayChoice } from '../../../shared/review/overlay'

export const useReportsStore = defineStore('reports', () => {
  const files = ref<ReportFiles | null>(null)
  const past = ref<PastReport[]>([])
  const busy = ref(false)
  const error = ref<string | null>(null)
  const guard = guarded(error, busy)

  /** The run's reports in the workspace, newest first. */
  async function list(runId: string): Promise<void> {
    past.value = (await guard(() => invoke('reports:list', { runId }))) ?? []
  }

  /** Writes the report; its top flagged parts are drawn with the reviewer's overlay choice. */
  async function exportReport(evaluationId: string, overlay: OverlayChoice | undefined, runId: string): Promise<void> {
    files.value = null
    files.value = (await guard(() => invoke('reports:export', { evaluationId, overlay }))) ?? null
    await list(runId)
  }

  /** A report file as a blob URL (the engine may be on another machine: the file travels, not its path). */
  async function blobOf(path: string): Promise<{ url: string; name: string } | null> {
    const f = await guard(() => invoke('reports:read', { path }))
    if (!f) return null
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
    return { url: URL.createObjectURL(new Blob([bytes], { type: f.type })), name: f.name }
  }

  /** Opens a report file: in the OS's viewer from the desktop app, in a new browser tab otherwise. */
  async function open(path: string): Promise<void> {
    const r = await guard(() => invoke('reports:open', { path }))
    if (!r || r.opened) return
    const b = await blobOf(path)
    if (b) window.open(b.url, '_blank', 'noopener')
  }

  /** Saves a copy of a report file where the user's downloads go. */
  async function save(path: string): Promise<void> {
    const b = await blobOf(path)
    if (!b) return
    const a = document.createElement('a')
    a.href = b.url
    a.download = b.name
    a.click()
    setTimeout(() => URL.revokeObjectURL(b.url), 10_000)
  }

  return { files, past, busy, error, list, exportReport, open, save }
})
