// Pinia store for engine status (version, backend) shown in the status bar.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke } from '../api'
import type { EngineInfo } from '../../../shared/ipc/invoke-map'

/** Engine status: loaded once at start-up. */
export const useEngineStore = defineStore('engine', () => {
  const info = ref<EngineInfo | null>(null)
  const error = ref<string | null>(null)
  async function load(): Promise<void> {
    try {
      info.value = await invoke('app:info', undefined)
      error.value = null
    } catch (err) {
      error.value = (err as Error).message
    }
  }
  return { info, error, load }
})
