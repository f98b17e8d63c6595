// Pinia store for backbone weights: which are stored, download (with progress) and import from a file.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke, onEvent } from '../api'
import { describeError, guarded } from './guarded'
import type { BackboneOption } from '../../../shared/models/workspace'

export const useBackbonesStore = defineStore('backbones', () => {
  const options = ref<BackboneOption[]>([])
  const downloads = ref<Record<string, string>>({})
  const error = ref<string | null>(null)
  const jobs = new Map<string, string>()
  let unsubscribe: (() => void) | null = null

  async function load(): Promise<void> {
    unsubscribe ??= onEvent('jobs:event', (e) => {
      const arch = jobs.get(e.jobId)
      if (!arch) return
      if (e.kind !== 'backbone-fetch') return
      if (e.type === 'progress') {
        const p = e.progress
        downloads.value[arch] = p.totalBytes ? `${((100 * p.bytes) / p.totalBytes).toFixed(0)} %` : `${(p.bytes / 2 ** 20).toFixed(1)} MiB`
      } else if (e.state === 'succeeded') {
        delete downloads.value[arch]
        void refresh()
      } else if (e.state === 'failed' || e.state === 'cancelled') downloads.value[arch] = describeError(e.error)
    })
    await refresh()
  }

  const run = guarded(error)

  async function refresh(): Promise<void> {
    const list = await run(() => invoke('backbones:list', undefined))
    if (list) options.value = list
  }

  async function fetchWeights(arch: BackboneOption['arch']): Promise<void> {
    const r = await run(() => invoke('backbones:fetch', { arch }))
    if (!r) return
    jobs.set(r.jobId, arch)
    downloads.value[arch] = 'starting…'
  }

  async function importWeights(path: string): Promise<void> {
    if (await run(() => invoke('backbones:import', { path }))) await refresh()
  }

  return { options, downloads, error, load, fetchWeights, importWeights }
})
