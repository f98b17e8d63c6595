import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProductStore, WorkspaceRequestError } from './products'
import type { DatasetSummary } from '../../shared/models/dataset-summary'
import { workspaceBackends, type TestLocation } from '../../test-support/test-workspaces'
import type { SqlDriver } from './sql/sql-driver'

describe.each(workspaceBackends())('products in a $name workspace', (backend) => {
  let ws: TestLocation
  let db: SqlDriver
  let store: ProductStore
  beforeEach(() => {
    if (backend.skip) return
    ws = backend.create()
    db = ws.open().db
    store = new ProductStore(db)
  })
  afterEach(() => ws?.dispose())

  const summary = { root: '/data/bottle', layout: 'mvtec', counts: [], trainGood: 209, testGood: 20, testDefect: 63, defectTypes: [], imageSizes: [], problems: [], ok: true } as DatasetSummary

  describe.skipIf(backend.skip)(backend.skip || 'products', () => {
    it('creates, lists (by name), renames and deletes, keeping names unique', () => {
      const b = store.create('  Bottle ')
      store.create('axle')
      expect(store.list().map((p) => p.name)).toEqual(['axle', 'Bottle'])
      expect(() => store.create('Bottle')).toThrow(WorkspaceRequestError)
      expect(() => store.create('   ')).toThrow(/needs a name/)
      expect(store.rename(b.id, 'Bottle v2').name).toBe('Bottle v2')
      expect(() => store.rename(b.id, 'axle')).toThrow(/already exists/)
      store.delete(b.id)
      expect(store.list().map((p) => p.name)).toEqual(['axle'])
      expect(() => store.delete(b.id)).toThrow(/no product/)
    })

    it('stores the region to inspect with the product, clears it, and keeps it across reopening', () => {
      const p = store.create('Rail')
      const region = { imageWidth: 576, imageHeight: 234, inspect: [], ignore: [{ type: 'rect' as const, x: 0, y: 0, width: 40, height: 234 }] }
      expect(store.setRegion(p.id, region).region).toEqual(region)
      db.close()
      db = ws.open().db
      store = new ProductStore(db)
      expect(store.get(p.id).region).toEqual(region)
      expect(store.setRegion(p.id, null).region).toBeUndefined()
      expect(() => store.setRegion('nope', region)).toThrow(/no product nope/)
    })

    it('keeps data sets per product and survives reopening the workspace', () => {
      const p = store.create('Bottle')
      store.addDataset(p.id, summary)
      expect(() => store.addDataset('nope', summary)).toThrow(/no product nope/)
      db.close()
      db = ws.open().db
      store = new ProductStore(db)
      expect(store.datasets(p.id)).toEqual([expect.objectContaining({ root: '/data/bottle', layout: 'mvtec', summary: expect.objectContaining({ trainGood: 209 }) })])
    })
  })
})
