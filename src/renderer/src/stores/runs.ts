// Pinia store for training runs: list per product, start/cancel/resume, live progress and curves from events.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { guarded } from './guarded'
import type { RunEpoch, RunEvent, RunRecord } from '../../../shared/models/workspace'
import type { StepStats, TrainProgress } from '../../../shared/models/progress'

/** Last step figures of a running run, for the progress bar and the live curve. */
export type LiveStep = Extract<TrainProgress, { kind: 'step' }>

export const useRunsStore = defineStore('runs', () => {
  const runs = ref<RunRecord[]>([])
  const epochs = ref<Record<string, RunEpoch[]>>({})
  const live = ref<Record<string, LiveStep>>({})
  /** recent steps per run (as delivered: the runner samples them at about 10 per second), oldest first */
  const steps = ref<Record<string, { label: string; stats: StepStats }[]>>({})
  const stage = ref<Record<string, string>>({})
  const error = ref<string | null>(null)
  let productId: string | null = null
  let unsubscribe: (() => void) | null = null

  function handle(e: RunEvent): void {
    if (e.type === 'state') {
      const i = runs.value.findIndex((r) => r.id === e.runId)
      if (i >= 0) runs.value[i] = e.run
      else if (e.run.productId === productId) runs.value.unshift(e.run)
      return
    }
    const p = e.progress
    if (p.kind === 'step') {
      const step = p
      live.value[e.runId] = step
      const list = (steps.value[e.runId] ??= [])
      list.push({ label: `${step.epoch}.${step.step}`, stats: step.stats })
      if (list.length > 300) list.splice(0, list.length - 300)
    }
    else if (p.kind === 'epoch') {
      const list = (epochs.value[e.runId] ??= [])
      const rec: RunEpoch = { epoch: p.epoch, means: p.means, validation: p.validation, seconds: p.seconds }
      const at = list.findIndex((x) => x.epoch === rec.epoch)
      if (at >= 0) list[at] = rec
      else list.push(rec)
    } else if (p.kind === 'stage' || p.kind === 'warning') stage.value[e.runId] = p.kind === 'warning' ? `warning: ${p.message}` : p.message
    else if (p.kind === 'resumed') stage.value[e.runId] = `resuming from epoch ${p.epoch} of ${p.epochs} (its checkpoint)`
  }

  const guard = guarded(error)

  /** Loads a product's runs (and their recorded epochs) and starts listening for run events. */
  async function load(pid: string): Promise<void> {
    productId = pid
    unsubscribe ??= onEvent('runs:event', handle)
    const list = await guard(() => invoke('runs:list', { productId: pid }))
    if (!list) return
    runs.value = list
    for (const r of list) epochs.value[r.id] = (await guard(() => invoke('runs:epochs', { runId: r.id }))) ?? []
  }

  async function start(datasetId: string, preset: string, overrides: Record<string, string | number | boolean>): Promise<void> {
    if (!productId) return
    const pid = productId
    const run = await guard(() => invoke('runs:start', { productId: pid, datasetId, preset, overrides }))
    if (run && !runs.value.some((r) => r.id === run.id)) runs.value.unshift(run)
  }

  async function cancel(runId: string): Promise<void> {
    await guard(() => invoke('runs:cancel', { runId }))
  }

  async function resume(runId: string): Promise<void> {
    const run = await guard(() => invoke('runs:resume', { runId }))
    // State events can overtake this reply; only apply it if no newer state has arrived meanwhile.
    const current = runs.value.find((r) => r.id === runId)
    if (run && (current?.state === 'cancelled' || current?.state === 'failed')) handle({ type: 'state', runId, run })
  }

  return { runs, epochs, live, steps, stage, error, load, start, cancel, resume, handle }
})
