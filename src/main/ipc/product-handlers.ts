// Handlers for products, their data sets (check as a job, then save), thumbnails, the folder dialog and jobs.
import { mkdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { initBackend } from '../engine/backend/select-backend'
import { ENGINE_VERSION } from '../engine/version'
import { readDataset } from '../engine/data/read-dataset'
import { importFolder } from '../engine/data/import-folder'
import { leftOutWarnings } from '../engine/data/list-files'
import { thumbnailDataUrl } from '../engine/image/thumbnail'
import type { ProductStore } from '../workspace/products'
import type { HandlerMap } from './handler-types'
import type { JobsControl } from './ports'
import { InvalidArgument, object, optionalString, requireString } from './validate'

type ProductChannel = 'app:info' | 'products:list' | 'products:create' | 'products:rename' | 'products:delete' | 'datasets:list'
  | 'datasets:thumbnails' | 'datasets:check-start' | 'datasets:save' | 'jobs:cancel' | 'dialog:open-folder'

/** What the product handlers need. */
export interface ProductHandlerContext {
  products: ProductStore
  runner: JobsControl
  /** the workspace folder (image copies go under it) */
  workspace?: string
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
    'products:create': async (arg) => ctx.products.create(requireString(object(arg, '{ name }').name, 'name')),
    'products:rename': async (arg) => {
      const a = object(arg, '{ id, name }')
      return ctx.products.rename(requireString(a.id, 'id'), requireString(a.name, 'name'))
    },
    'products:delete': async (arg) => {
      ctx.products.delete(requireString(object(arg, '{ id }').id, 'id'))
      return null
    },
    'datasets:list': async (arg) => ctx.products.datasets(requireString(object(arg, '{ productId }').productId, 'productId')),
    'datasets:thumbnails': async (arg) => {
      const a = object(arg, '{ dir, category?, perType? }')
      const perType = typeof a.perType === 'number' && a.perType > 0 && a.perType <= 12 ? a.perType : 4
      const ds = await readDataset(requireString(a.dir, 'dir'), { category: optionalString(a.category, 'category') })
      const picked: { defectType: string; split: string; path: string }[] = []
      for (const s of ds.samples) if (picked.filter((p) => p.defectType === s.defectType && p.split === s.split).length < perType) picked.push(s)
      return Promise.all(picked.map(async (p) => ({ defectType: p.defectType, split: p.split, path: p.path, url: await thumbnailDataUrl(p.path) })))
    },
    'datasets:check-start': async (arg) => {
      const a = object(arg, '{ dir, category? }')
      return { jobId: ctx.runner.submit({ kind: 'dataset-check', dir: requireString(a.dir, 'dir'), category: optionalString(a.category, 'category') }).id }
    },
    'datasets:save': async (arg) => {
      const a = object(arg, '{ productId, jobId }')
      const job = ctx.runner.get(requireString(a.jobId, 'jobId'))
      const outcome = job?.outcome
      if (!outcome || outcome.kind !== 'dataset-check') throw new InvalidArgument('that check has not finished (or does not exist); check the folder first')
      const summary = outcome.result
      if (!summary.ok) throw new InvalidArgument('the data set has errors; fix them and check again before saving')
      const productId = requireString(a.productId, 'productId')
      if (a.copy !== true) return ctx.products.addDataset(productId, summary)
      // Images are referenced where they are unless the user asks for a copy inside the workspace.
      if (!ctx.workspace) throw new InvalidArgument('this app has no workspace folder to copy into')
      const images = join(ctx.workspace, 'images')
      await mkdir(images, { recursive: true })
      // All or nothing (temp folder + rename), links dereferenced, special files left out and listed with the data set.
      const copied = await importFolder(summary.root, join(images, `${Date.now()}-${basename(summary.root)}`))
      return ctx.products.addDataset(productId, { ...summary, root: copied.dest, problems: [...summary.problems, ...leftOutWarnings(copied.leftOut)] })
    },
    'jobs:cancel': async (arg) => ctx.runner.cancel(requireString(object(arg, '{ jobId }').jobId, 'jobId')),
    'dialog:open-folder': async () => {
      if (!ctx.chooseFolder) throw new InvalidArgument('no folder dialog in browser mode; type the folder path instead')
      return ctx.chooseFolder()
    },
  }
}
