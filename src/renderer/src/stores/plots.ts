// Pinia store for a run's feature plots (PCA per training stage, computed by the engine) and centre initialisation.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { describeError, guarded } from './guarded'
import type { JobEvent } from '../../../shared/models/job'
import type { FeaturePlot, PlotStage } from '../../../shared/models/feature-plot'

export type { PlotStage } from '../../../shared/models/feature-plot'
/** A plot as the engine returns it. */
export type FeaturePlotData = FeaturePlot

export const usePlotsStore = defineStore('plots', () => {
  const runId = ref<string | null>(null)
  const plots = ref<Partial<Record<PlotStage, FeaturePlotData>>>({})
  const centre = ref<{ distances: number[]; rule: string } | null>(null)
  const pending = ref<{ jobId: string; stage: PlotStage; done: number; total: number } | null>(null)
  const error = ref<string | null>(null)
  const guard = guarded(error)
  let off: (() => void) | null = null

  function onJob(e: JobEvent): void {
    const p = pending.value
    if (!p || e.jobId !== p.jobId) return
    if (e.kind !== 'feature-plot') return
    if (e.type === 'progress') {
      pending.value = { ...p, done: e.progress.done, total: e.progress.total }
      return
    }
    if (e.state === 'succeeded') plots.value = { ...plots.value, [p.stage]: e.result }
    if (e.state === 'failed') error.value = describeError(e.error)
    if (e.state === 'succeeded' || e.state === 'failed' || e.state === 'cancelled') pending.value = null
  }

  /** Switches to a run (forgetting another run's plots) and loads its centre-initialisation curve. */
  async function open(id: string): Promise<void> {
    if (runId.value !== id) {
      plots.value = {}
      centre.value = null
    }
    runId.value = id
    off ??= onEvent('jobs:event', onJob)
    centre.value = (await guard(() => invoke('plots:centre', { runId: id }))) ?? null
  }

  async function compute(stage: PlotStage): Promise<void> {
    const id = runId.value
    if (!id || pending.value) return
    const r = await guard(() => invoke('plots:start', { runId: id, stage }))
    if (r) pending.value = { jobId: r.jobId, stage, done: 0, total: 0 }
  }

  async function cancel(): Promise<void> {
    const p = pending.value
    if (p) await guard(() => invoke('jobs:cancel', { jobId: p.jobId }))
  }

  return { runId, plots, centre, pending, error, open, compute, cancel }
})
