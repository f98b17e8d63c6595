// Pinia store for report export: HTML + PDF + CSV of an evaluation, written by the main process.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke } from '../api'
import { guarded } from './guarded'
import type { ReportFiles } from '../../../shared/ipc/invoke-map'
import type { OverlayChoice } from '../../../shared/review/overlay'

export const useReportsStore = defineStore('reports', () => {
  const files = ref<ReportFiles | null>(null)
  const busy = ref(false)
  const error = ref<string | null>(null)
  const guard = guarded(error, busy)

  /** Writes the report; its top flagged parts are drawn with the reviewer's overlay choice. */
  async function exportReport(evaluationId: string, overlay?: OverlayChoice): Promise<void> {
    files.value = null
    files.value = (await guard(() => invoke('reports:export', { evaluationId, overlay }))) ?? null
  }

  return { files, busy, error, exportReport }
})
