import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useProductsStore } from './products'
import { FakeIpcError, installFakePbas } from '../../../test-support/fake-pbas'
import type { DatasetRecord, Product } from '../../../shared/models/workspace'

/** An in-memory stand-in for the main process behind window.pbas, typed against the IPC contract. */
function fakeEngine() {
  const products: Product[] = []
  return installFakePbas({
    'products:list': () => [...products],
    'products:create': ({ name }) => {
      if (products.some((p) => p.name === name)) throw new FakeIpcError({ code: 'invalid-argument', message: `a product called "${name}" already exists` })
      products.push({ id: `p${products.length + 1}`, name, createdAt: 'now' })
      return products.at(-1)!
    },
    'datasets:list': () => [],
    'datasets:check-start': () => ({ jobId: 'j1' }),
    'datasets:save': ({ productId }) => ({ id: 'd1', productId, root: '/data/bottle', layout: 'mvtec', importedAt: 'now', summary: { trainGood: 209 } as DatasetRecord['summary'] }),
  })
}

describe('products store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('creates and selects a product, imports a data set into it, and shows engine errors', async () => {
    const engine = fakeEngine()
    const store = useProductsStore()
    await store.create('Bottle')
    expect(store.selected?.name).toBe('Bottle')
    await store.startCheck('/data/bottle')
    engine.emit('jobs:event', { type: 'state', jobId: 'j1', state: 'succeeded', kind: 'dataset-check', result: { root: '/data/bottle', ok: true, trainGood: 209 } as never })
    expect(store.check?.state).toBe('done')
    await store.saveCheck()
    expect(store.datasets.map((d) => d.summary.trainGood)).toEqual([209])
    expect(engine.invoke).toHaveBeenCalledWith('datasets:save', { productId: 'p1', jobId: 'j1', copy: false })
    await store.create('Bottle')
    expect(store.error).toBe('a product called "Bottle" already exists')
    expect(store.busy).toBe(false)
  })
})
