// Product and data set records in the workspace database.
import { isConstraint, type SqlDriver } from './sql/sql-driver'
import { randomUUID } from 'node:crypto'
import type { DatasetRecord, Product } from '../../shared/models/workspace'
import type { DatasetSummary } from '../../shared/models/dataset-summary'
import type { InspectionRegion } from '../../shared/image/region'

/** A request the workspace cannot fulfil (duplicate name, unknown id): safe to show to the user. */
export class WorkspaceRequestError extends Error {}

interface ProductRow {
  id: string
  name: string
  created_at: string
  region_json: string | null
}

const toProduct = (r: ProductRow): Product => ({ id: r.id, name: r.name, createdAt: r.created_at, region: r.region_json ? (JSON.parse(r.region_json) as InspectionRegion) : undefined })

interface DatasetRow {
  id: string
  product_id: string
  root: string
  category: string | null
  layout: string
  summary_json: string
  imported_at: string
}

const toDataset = (r: DatasetRow): DatasetRecord => ({
  id: r.id, productId: r.product_id, root: r.root, category: r.category ?? undefined, layout: r.layout, importedAt: r.imported_at, summary: JSON.parse(r.summary_json),
})

/** Control characters and bidirectional overrides would make a name display as something it is not. */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u

function cleanName(name: string): string {
  const n = name.normalize('NFC').trim()
  if (!n) throw new WorkspaceRequestError('a product needs a name')
  if (n.length > 120) throw new WorkspaceRequestError('product names are at most 120 characters')
  if (HIDDEN.test(n)) throw new WorkspaceRequestError('product names cannot contain control characters or text-direction overrides; type the name again')
  return n
}

/** Products, their data sets, in one workspace. */
export class ProductStore {
  constructor(private readonly db: SqlDriver) {}

  list(): Product[] {
    return (this.db.all('SELECT * FROM products ORDER BY lower(name), name') as ProductRow[]).map(toProduct)
  }

  create(name: string): Product {
    const p: Product = { id: randomUUID(), name: cleanName(name), createdAt: new Date().toISOString() }
    try {
      this.db.run('INSERT INTO products (id, name, created_at) VALUES (?, ?, ?)', [p.id, p.name, p.createdAt])
    } catch (err) {
      if (isConstraint(err, 'unique')) throw new WorkspaceRequestError(`a product called "${p.name}" already exists`)
      throw err
    }
    return p
  }

  rename(id: string, name: string): Product {
    const n = cleanName(name)
    try {
      const r = this.db.run('UPDATE products SET name = ? WHERE id = ?', [n, id])
      if (r.changes === 0) throw new WorkspaceRequestError(`no product ${id}`)
    } catch (err) {
      if (isConstraint(err, 'unique')) throw new WorkspaceRequestError(`a product called "${n}" already exists`)
      throw err
    }
    return this.get(id)
  }

  /** Sets (or, with null, clears) the region to inspect that the product's next runs train with. */
  setRegion(id: string, region: InspectionRegion | null): Product {
    const r = this.db.run('UPDATE products SET region_json = ? WHERE id = ?', [region ? JSON.stringify(region) : null, id])
    if (r.changes === 0) throw new WorkspaceRequestError(`no product ${id}`)
    return this.get(id)
  }

  get(id: string): Product {
    const row = this.db.get('SELECT * FROM products WHERE id = ?', [id]) as ProductRow | undefined
    if (!row) throw new WorkspaceRequestError(`no product ${id}`)
    return toProduct(row)
  }

  /** Deletes the product's records (data sets, runs, verdicts); image files are never touched. */
  delete(id: string): void {
    const r = this.db.run('DELETE FROM products WHERE id = ?', [id])
    if (r.changes === 0) throw new WorkspaceRequestError(`no product ${id}`)
  }

  addDataset(productId: string, summary: DatasetSummary): DatasetRecord {
    const rec: DatasetRecord = { id: randomUUID(), productId, root: summary.root, category: summary.category, layout: summary.layout, importedAt: new Date().toISOString(), summary }
    try {
      this.db.run('INSERT INTO datasets (id, product_id, root, category, layout, summary_json, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [rec.id, productId, rec.root, rec.category ?? null, rec.layout, JSON.stringify(summary), rec.importedAt])
    } catch (err) {
      if (isConstraint(err, 'foreign-key')) throw new WorkspaceRequestError(`no product ${productId}`)
      throw err
    }
    return rec
  }

  /** One data set by id. */
  dataset(id: string): DatasetRecord {
    const row = this.db.get('SELECT * FROM datasets WHERE id = ?', [id]) as DatasetRow | undefined
    if (!row) throw new WorkspaceRequestError(`no data set ${id}`)
    return toDataset(row)
  }

  datasets(productId: string): DatasetRecord[] {
    return (this.db.all('SELECT * FROM datasets WHERE product_id = ? ORDER BY imported_at', [productId]) as DatasetRow[]).map(toDataset)
  }
}
