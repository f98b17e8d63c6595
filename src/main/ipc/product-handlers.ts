// Handlers for products, their data sets (check as a job, then save), thumbnails, the folder dialog and jobs.
import { initBackend } from '../engine/backend/select-backend'
import { ENGINE_VERSION } from '../engine/version'
import type { ProductStore } from '../workspace/products'
import type { HandlerMap } from './handler-types'
import type { DatasetControl, JobsControl } from './ports'
import { InvalidArgument } from './validate'

type ProductChannel = 'app:info' | 'products:list' | 'products:create' | 'products:rename' | 'products:set-region' | 'products:delete' | 'datasets:list'
  | 'datasets:thumbnails' | 'datasets:reference-photo' | 'datasets:check-start' | 'datasets:save' | 'jobs:cancel' | 'dialog:open-folder'

/** What the product handlers need. */
export interface ProductHandlerContext {
  products: ProductStore
  runner: JobsControl
  datasets: DatasetControl
  /** the native folder dialog (Electron only) */
  chooseFolder?: () => Promise<string | null>
}

/** Builds the product handlers. */
export function createProductHandlers(ctx: ProductHandlerContext): HandlerMap<ProductChannel> {
  return {
    'app:info': async () => {
      const b = await initBackend()
      return { desktop: !!ctx.chooseFolder, engineVersion: ENGINE_VERSION, backend: b.name, gpu: b.gpu, device: b.device, backendReason: b.reason, skippedBackends: b.skipped }
    },
    'products:list': async () => ctx.products.list(),
    'products:create': async ({ name }) => ctx.products.create(name),
    'products:rename': async ({ id, name }) => ctx.products.rename(id, name),
    'products:set-region': async ({ id, region }) => ctx.products.setRegion(id, region),
    'products:delete': async ({ id }) => {
      ctx.products.delete(id)
      return null
    },
    'datasets:list': async ({ productId }) => ctx.products.datasets(productId),
    'datasets:thumbnails': async ({ dir, category, perType = 4 }) => ctx.datasets.thumbnails(dir, category, perType),
    'datasets:reference-photo': async ({ datasetId }) => ctx.datasets.referencePhoto(datasetId),
    'datasets:check-start': async ({ dir, category }) => ({ jobId: ctx.runner.submit({ kind: 'dataset-check', dir, category }).id }),
    'datasets:save': async ({ productId, jobId, copy }) => ctx.datasets.save(productId, jobId, copy === true),
    'jobs:cancel': async ({ jobId }) => ctx.runner.cancel(jobId),
    'dialog:open-folder': async () => {
      if (!ctx.chooseFolder) throw new InvalidArgument('no folder dialog in browser mode; type the folder path instead')
      return ctx.chooseFolder()
    },
  }
}
