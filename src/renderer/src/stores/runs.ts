// Pinia store for training runs: list per product, start/cancel/resume, live progress and curves from events.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { guarded } from './guarded'
import type { RunEpoch, RunEvent, RunRecord } from '../../../shared/models/workspace'
import type { StepStats, TrainProgress } from '../../../shared/models/progress'
import type { InvokeArg } from '../../../shared/ipc/invoke-map'
import { runNotice } from '../../../shared/notices'
import { notifyInBrowser } from '../lib/notify'
import { usePreferencesStore } from './preferences'

type Overrides = NonNullable<InvokeArg<'runs:start'>['overrides']>

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
      // In the desktop app the main process notifies; in a browser, this page does (when allowed).
      if (!window.pbas && runs.value[i]?.state !== e.run.state) notifyInBrowser(runNotice(e.run), usePreferencesStore().notify)
      if (i >= 0) runs.value[i] = e.run
      else if (e.run.productId === productId) runs.value.unshift(e.run)
      return
    }
    const p = e.progress
    if (p.kind === 'step') {
      const step = p
      live.value[e.runId] = step
      const list = (steps.value[e.runId] ??= [])
      list.push({ label: `e${step.epoch} s${step.step}`, stats: step.stats })
      if (list.length > 300) list.splice(0, list.length - 300)
    }
    else if (p.kind === 'epoch') {
      const list = (epochs.value[e.runId] ??= [])
      const rec: RunEpoch = { epoch: p.epoch, means: p.means, validation: p.validation, seconds: p.seconds }
      const at = list.findIndex((x) => x.epoch === rec.epoch)
      if (at >= 0) list[at] = rec
      else list.push(rec)
    } else if (p.kind === 'stage' || p.kind === 'warning') stage.value[e.runId] = p.kind === 'warning' ? `warning: ${p.message}` : p.message
    // Said next to the training line (which names the runtimes), not instead of it.
    else if (p.kind === 'resumed') stage.value[e.runId] = `${stage.value[e.runId] ? `${stage.value[e.runId]} · ` : ''}resumed after epoch ${p.epoch} of ${p.epochs} (its checkpoint)`
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

  /** Starts a run; returns it (null on an error, which `error` then says). */
  async function start(datasetId: string, preset: string, overrides: Overrides, about: { name?: string; note?: string; estimateSeconds?: number } = {}): Promise<RunRecord | null> {
    if (!productId) return null
    const pid = productId
    const run = await guard(() => invoke('runs:start', { productId: pid, datasetId, preset, overrides, ...about }))
    if (run && !runs.value.some((r) => r.id === run.id)) runs.value.unshift(run)
    return run ?? null
  }

  /** Renames a run (empty: the default name) and/or replaces its note. */
  async function describe(runId: string, about: { name?: string; note?: string }): Promise<void> {
    const run = await guard(() => invoke('runs:describe', { runId, ...about }))
    if (run) handle({ type: 'state', runId, run })
  }

  async function cancel(runId: string): Promise<void> {
    await guard(() => invoke('runs:cancel', { runId }))
  }

  /** Continues from the last checkpoint; with `restart`, discards it and trains the same settings from the start. */
  async function resume(runId: string, restart = false): Promise<void> {
    const run = await guard(() => invoke('runs:resume', { runId, restart }))
    // State events can overtake this reply; only apply it if no newer state has arrived meanwhile.
    const current = runs.value.find((r) => r.id === runId)
    if (run && (current?.state === 'cancelled' || current?.state === 'failed')) handle({ type: 'state', runId, run })
  }

  return { runs, epochs, live, steps, stage, error, load, start, describe, cancel, resume, handle }
})
