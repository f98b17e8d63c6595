// Pinia store for a run's feature plots (PCA per training stage, computed by the engine) and centre initialisation.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { guarded } from './guarded'
import type { JobEvent } from '../../../shared/models/job'

/** Which projector a plot shows. */
export type PlotStage = 'initial' | 'checkpoint' | 'final'

/** A plot as the engine returns it (see engine/analysis/feature-plot). */
export interface FeaturePlotData {
  stage: PlotStage
  epoch: number | null
  explained: [number, number]
  groups: { name: string; label: string; points: [number, number][] }[]
  images: { normal: number; defect: number }
}

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
    if (e.type === 'progress') {
      if (typeof e.progress.done === 'number') pending.value = { ...p, done: e.progress.done, total: Number(e.progress.total) }
      return
    }
    if (e.state === 'succeeded') plots.value = { ...plots.value, [p.stage]: e.result as FeaturePlotData }
    if (e.state === 'failed') error.value = e.error ?? 'the plot failed'
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
