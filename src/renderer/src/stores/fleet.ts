// Pinia store for the fleet: the stations writing to the workspace, refreshed while the screen is open, and pushing a model to one.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke } from '../api'
import { guarded } from './guarded'
import type { FleetStation } from '../../../shared/models/fleet'
import type { Product, RunRecord } from '../../../shared/models/workspace'

/** How often the list is read again while shown (stations report every 2 s). */
const REFRESH_MS = 2000

/** A finished run that can be pushed, named for people. */
export interface PushableRun {
  run: RunRecord
  product: Product
}

export const useFleetStore = defineStore('fleet', () => {
  const stations = ref<FleetStation[]>([])
  const runs = ref<PushableRun[]>([])
  const error = ref<string | null>(null)
  const busy = ref(false)
  const loaded = ref(false)
  const guard = guarded(error, busy)
  let timer: ReturnType<typeof setInterval> | null = null

  async function refresh(): Promise<void> {
    const list = await guarded(error)(() => invoke('fleet:list', undefined))
    if (list) stations.value = list
    loaded.value = true
  }

  /** Loads the stations and the finished runs (the models that can be pushed), and keeps the list fresh. */
  async function open(): Promise<void> {
    await refresh()
    await guard(async () => {
      const products = await invoke('products:list', undefined)
      const all = await Promise.all(products.map(async (product) => (await invoke('runs:list', { productId: product.id })).filter((r) => r.state === 'succeeded').map((run) => ({ run, product }))))
      runs.value = all.flat()
    })
    timer ??= setInterval(() => void refresh(), REFRESH_MS)
  }

  function close(): void {
    if (timer) clearInterval(timer)
    timer = null
  }

  /** Pushes a run's model to a station; the list shows it pending until the station reports the switch. */
  async function push(stationId: string, runId: string): Promise<void> {
    const s = await guard(() => invoke('fleet:push', { stationId, runId }))
    if (s) stations.value = stations.value.map((x) => (x.id === s.id ? s : x))
  }

  return { stations, runs, error, busy, loaded, open, close, refresh, push }
})
