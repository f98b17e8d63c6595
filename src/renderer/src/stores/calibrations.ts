// Pinia store for a finished run's model calibration: its revisions, picking one, and recalibrating without retraining.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { describeError, guarded } from './guarded'
import type { ModelCalibrations } from '../../../shared/ipc/invoke-map'
import type { JobEvent } from '../../../shared/models/job'
import type { RecalibrationResult } from '../../../shared/models/calibration'

/** Where new calibration images come from: a folder evaluation's confirmed-good parts, or a folder of good parts. */
export type CalibrationFrom = { evaluationId: string } | { dir: string }

/** A recalibration job under way. */
export interface CalibrationJob {
  jobId: string
  message: string
  done: number
  total: number
}

export const useCalibrationsStore = defineStore('calibrations', () => {
  const runId = ref<string | null>(null)
  const current = ref<ModelCalibrations | null>(null)
  const job = ref<CalibrationJob | null>(null)
  /** the last recalibration's outcome (its revision and any refused images) */
  const last = ref<RecalibrationResult | null>(null)
  const error = ref<string | null>(null)
  const busy = ref(false)
  const guard = guarded(error, busy)
  let off: (() => void) | null = null

  async function reload(): Promise<void> {
    const id = runId.value
    if (!id) return
    const c = await guard(() => invoke('calibrations:list', { runId: id }))
    if (c && runId.value === id) current.value = c
  }

  function onJob(e: JobEvent): void {
    if (!job.value || e.jobId !== job.value.jobId || e.kind !== 'calibrate') return
    if (e.type === 'progress') {
      job.value = { ...job.value, message: e.progress.message ?? e.progress.stage, done: e.progress.done, total: e.progress.total }
      return
    }
    if (e.state === 'queued' || e.state === 'running') return
    job.value = null
    if (e.state === 'succeeded') {
      last.value = e.result
      void reload()
    } else error.value = describeError(e.error)
  }

  /** Shows the calibration of a run's model (a finished run). */
  async function open(id: string): Promise<void> {
    off ??= onEvent('jobs:event', onJob)
    if (runId.value !== id) {
      current.value = null
      last.value = null
      error.value = null
    }
    runId.value = id
    await reload()
  }

  /** Makes an earlier revision the one the model decides new parts with. */
  async function select(revision: number): Promise<void> {
    const id = runId.value
    if (!id) return
    const c = await guard(() => invoke('calibrations:select', { runId: id, revision }))
    if (c) current.value = c
  }

  /** Recalibrates from new good parts; with `replace`, they alone set the thresholds (else the training hold-out joins them). */
  async function recalibrate(from: CalibrationFrom, replace = false): Promise<void> {
    const id = runId.value
    if (!id) return
    const arg = 'dir' in from ? { runId: id, dir: from.dir.trim(), replace } : { runId: id, evaluationId: from.evaluationId, replace }
    last.value = null
    const r = await guard(() => invoke('calibrations:start', arg))
    if (r) job.value = { jobId: r.jobId, message: 'queued', done: 0, total: 0 }
  }

  return { runId, current, job, last, error, busy, open, select, recalibrate, onJob }
})
