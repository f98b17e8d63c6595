// Pinia store for products and their data sets: the only place the Products screens get data from.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { invoke } from '../api'
import type { DatasetRecord, Product } from '../../../shared/models/workspace'

/** Products, the selected one, and its data sets. */
export const useProductsStore = defineStore('products', () => {
  const products = ref<Product[]>([])
  const selectedId = ref<string | null>(null)
  const datasets = ref<DatasetRecord[]>([])
  const busy = ref(false)
  const error = ref<string | null>(null)
  const thumbnails = ref<Record<string, { defectType: string; split: string; path: string; url: string }[]>>({})
  const selected = computed(() => products.value.find((p) => p.id === selectedId.value) ?? null)

  async function run<T>(f: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    error.value = null
    try {
      return await f()
    } catch (err) {
      error.value = (err as Error).message
      return undefined
    } finally {
      busy.value = false
    }
  }

  async function load(): Promise<void> {
    await run(async () => (products.value = await invoke('products:list', undefined)))
  }

  async function select(id: string | null): Promise<void> {
    selectedId.value = id
    datasets.value = []
    if (id) await run(async () => (datasets.value = await invoke('datasets:list', { productId: id })))
  }

  async function create(name: string): Promise<void> {
    const p = await run(() => invoke('products:create', { name }))
    if (p) {
      await load()
      await select(p.id)
    }
  }

  async function rename(id: string, name: string): Promise<void> {
    if (await run(() => invoke('products:rename', { id, name }))) await load()
  }

  async function remove(id: string): Promise<void> {
    if ((await run(() => invoke('products:delete', { id }))) !== undefined) {
      if (selectedId.value === id) await select(null)
      await load()
    }
  }

  async function importDataset(dir: string, category?: string): Promise<void> {
    const id = selectedId.value
    if (!id) return
    const rec = await run(() => invoke('datasets:import', { productId: id, dir, category: category || undefined }))
    if (rec) datasets.value = [...datasets.value, rec]
  }

  /** A few thumbnails per split and defect type of a data set (loaded once). */
  async function loadThumbnails(datasetId: string): Promise<void> {
    if (thumbnails.value[datasetId]) return
    const t = await run(() => invoke('datasets:thumbnails', { datasetId, perType: 4 }))
    if (t) thumbnails.value[datasetId] = t
  }

  /** Native folder dialog (desktop app only); returns null when cancelled. */
  async function chooseFolder(): Promise<string | null> {
    return (await run(() => invoke('dialog:open-folder', undefined))) ?? null
  }

  return { products, selectedId, selected, datasets, thumbnails, busy, error, load, select, create, rename, remove, importDataset, loadThumbnails, chooseFolder }
})
