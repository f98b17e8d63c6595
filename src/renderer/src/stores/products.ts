// Pinia store for products and their data sets: the only place the Products screens get data from.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { invoke, onEvent, pathForDroppedFile } from '../api'
import { describeError, guarded } from './guarded'
import type { DatasetRecord, Product, ProductStatus } from '../../../shared/models/workspace'
import type { DatasetSummary } from '../../../shared/models/dataset-summary'
import type { InspectionRegion } from '../../../shared/image/region'
import type { ReviewPhoto } from '../../../shared/models/review'

/** A folder check in progress or finished, shown before anything is saved. */
export interface ImportCheck {
  jobId: string
  dir: string
  category?: string
  state: 'running' | 'done' | 'cancelled' | 'failed'
  done: number
  total: number
  etaSeconds: number | null
  summary?: DatasetSummary
  error?: string
}

/** Products, the selected one, and its data sets. */
export const useProductsStore = defineStore('products', () => {
  const products = ref<Product[]>([])
  const selectedId = ref<string | null>(null)
  const datasets = ref<DatasetRecord[]>([])
  const busy = ref(false)
  const error = ref<string | null>(null)
  const thumbnails = ref<Record<string, { defectType: string; split: string; path: string; url: string }[]>>({})
  const check = ref<ImportCheck | null>(null)
  /** each product at a glance (the products home), by id */
  const status = ref<Record<string, ProductStatus>>({})
  let offJobs: (() => void) | null = null
  const selected = computed(() => products.value.find((p) => p.id === selectedId.value) ?? null)

  const run = guarded(error, busy)

  async function load(): Promise<void> {
    await run(async () => (products.value = await invoke('products:list', undefined)))
  }

  /** Every product's state, quality, waiting parts and picture; one failing product does not hide the others. */
  async function loadStatus(): Promise<void> {
    const quiet = guarded(error)
    await Promise.all(products.value.map(async (p) => {
      const s = await quiet(() => invoke('products:status', { productId: p.id }))
      if (s) status.value = { ...status.value, [p.id]: s }
    }))
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

  /** A few thumbnails per split and defect type of a folder (loaded once per folder). */
  async function loadThumbnails(dir: string, category?: string): Promise<void> {
    const key = `${dir}|${category ?? ''}`
    if (thumbnails.value[key]) return
    const t = await run(() => invoke('datasets:thumbnails', { dir, category, perType: 4 }))
    if (t) thumbnails.value[key] = t
  }

  /** Checks a folder in the engine worker (cancellable, with progress); nothing is saved yet. */
  async function startCheck(dir: string, category?: string): Promise<void> {
    offJobs ??= onEvent('jobs:event', (e) => {
      const c = check.value
      if (!c || e.jobId !== c.jobId || e.kind !== 'dataset-check') return
      if (e.type === 'progress') Object.assign(c, { done: e.progress.done, total: e.progress.total, etaSeconds: e.progress.etaSeconds })
      else if (e.state === 'succeeded') Object.assign(c, { state: 'done', summary: e.result })
      else if (e.state === 'cancelled') c.state = 'cancelled'
      else if (e.state === 'failed') Object.assign(c, { state: 'failed', error: describeError(e.error) })
    })
    const r = await run(() => invoke('datasets:check-start', { dir, category: category || undefined }))
    if (r) check.value = { jobId: r.jobId, dir, category: category || undefined, state: 'running', done: 0, total: 0, etaSeconds: null }
  }

  async function cancelCheck(): Promise<void> {
    const c = check.value
    if (c) await run(() => invoke('jobs:cancel', { jobId: c.jobId }))
  }

  /** Saves the checked data set to the selected product. */
  async function saveCheck(copy = false): Promise<void> {
    const c = check.value
    const id = selectedId.value
    if (!c || !id) return
    const rec = await run(() => invoke('datasets:save', { productId: id, jobId: c.jobId, copy }))
    if (rec) {
      datasets.value = [...datasets.value, rec]
      check.value = null
    }
  }

  /** A folder dropped on the window: checks it (desktop app), or explains why not (browser mode). */
  async function dropFolder(file: File | undefined): Promise<string | null> {
    const path = file ? pathForDroppedFile(file) : null
    if (!path) {
      error.value = 'Dropping folders works in the desktop app; in a browser, type the folder path.'
      return null
    }
    await startCheck(path)
    return path
  }

  /** The photo the region is drawn on, per data set (decoded once). */
  const references = ref<Record<string, { path: string; photo: ReviewPhoto; width: number; height: number }>>({})

  async function loadReference(datasetId: string): Promise<void> {
    if (references.value[datasetId]) return
    const r = await run(() => invoke('datasets:reference-photo', { datasetId }))
    if (r) references.value = { ...references.value, [datasetId]: r }
  }

  /** Stores the selected product's region to inspect (null: the whole photo); its next runs train with it. */
  async function setRegion(region: InspectionRegion | null): Promise<void> {
    const id = selectedId.value
    if (!id) return
    const p = await run(() => invoke('products:set-region', { id, region }))
    if (p) products.value = products.value.map((x) => (x.id === p.id ? p : x))
  }

  /** Native folder dialog (desktop app only); returns null when cancelled. */
  async function chooseFolder(): Promise<string | null> {
    return (await run(() => invoke('dialog:open-folder', undefined))) ?? null
  }

  return { products, selectedId, selected, datasets, thumbnails, check, status, busy, error, load, loadStatus, select, create, rename, remove, loadThumbnails, references, loadReference, setRegion, chooseFolder, startCheck, cancelCheck, saveCheck, dropFolder }
})
