// Workspace records as the renderer sees them (plain objects).

/** A product: one kind of part, with its own data sets, runs and models. */
export interface Product {
  id: string
  name: string
  createdAt: string
}

/** A data set imported for a product (images are referenced, not copied). */
export interface DatasetRecord {
  id: string
  productId: string
  root: string
  category?: string
  layout: string
  importedAt: string
  summary: import('./dataset-summary').DatasetSummary
}
