// Pinia store for a product's training additions: good parts reviewers added for later runs, listed and removable.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { invoke } from '../api'
import { guarded } from './guarded'

/** One added image: who added it and when. */
export interface TrainingAddition {
  path: string
  addedBy: string
  addedAt: string
}

export const useTrainingAdditionsStore = defineStore('training-additions', () => {
  const productId = ref<string | null>(null)
  const items = ref<TrainingAddition[]>([])
  const error = ref<string | null>(null)
  const busy = ref(false)
  const guard = guarded(error, busy)

  /** Lists a product's additions (a later run trains on them too). */
  async function load(id: string): Promise<void> {
    if (productId.value !== id) items.value = []
    productId.value = id
    const list = await guard(() => invoke('training:list', { productId: id }))
    if (list && productId.value === id) items.value = list
  }

  /** Takes images out of the training set again (a wrong verdict); their files are not touched. */
  async function remove(paths: string[]): Promise<void> {
    const id = productId.value
    if (!id || !paths.length) return
    const r = await guard(() => invoke('training:remove-good', { productId: id, paths }))
    if (r) await load(id)
  }

  return { productId, items, error, busy, load, remove }
})
