import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useProductsStore } from './products'

/** An in-memory stand-in for the main process behind window.pbas. */
function fakeEngine() {
  const products: { id: string; name: string; createdAt: string }[] = []
  const invoke = vi.fn(async (channel: string, arg: Record<string, string>) => {
    switch (channel) {
      case 'products:list':
        return { ok: true, value: [...products] }
      case 'products:create':
        if (products.some((p) => p.name === arg.name)) return { ok: false, error: { code: 'invalid-argument', message: `a product called "${arg.name}" already exists` } }
        products.push({ id: `p${products.length + 1}`, name: arg.name, createdAt: 'now' })
        return { ok: true, value: products.at(-1) }
      case 'datasets:list':
        return { ok: true, value: [] }
      case 'datasets:check-start':
        return { ok: true, value: { jobId: 'j1' } }
      case 'datasets:save':
        return { ok: true, value: { id: 'd1', productId: arg.productId, root: '/data/bottle', layout: 'mvtec', importedAt: 'now', summary: { trainGood: 209 } } }
      default:
        return { ok: false, error: { code: 'not-found', message: channel } }
    }
  })
  const listeners: ((e: unknown) => void)[] = []
  const on = (_channel: string, l: (e: unknown) => void) => (listeners.push(l), () => {})
  ;(globalThis as unknown as { window: unknown }).window = { pbas: { invoke, on }, location: { hash: '' } }
  return Object.assign(invoke, { emit: (e: unknown) => listeners.forEach((l) => l(e)) })
}

describe('products store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('creates and selects a product, imports a data set into it, and shows engine errors', async () => {
    const engine = fakeEngine()
    const store = useProductsStore()
    await store.create('Bottle')
    expect(store.selected?.name).toBe('Bottle')
    await store.startCheck('/data/bottle')
    engine.emit({ type: 'state', jobId: 'j1', state: 'succeeded', kind: 'dataset-check', result: { root: '/data/bottle', ok: true, trainGood: 209 } })
    expect(store.check?.state).toBe('done')
    await store.saveCheck()
    expect(store.datasets.map((d) => d.summary.trainGood)).toEqual([209])
    expect(engine).toHaveBeenCalledWith('datasets:save', { productId: 'p1', jobId: 'j1', copy: false })
    await store.create('Bottle')
    expect(store.error).toBe('a product called "Bottle" already exists')
    expect(store.busy).toBe(false)
  })
})
