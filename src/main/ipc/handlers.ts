// Main-process handlers for the IPC contract; plain functions, so Electron, the browser bridge and tests share them.
import { cp } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { initBackend } from '../engine/backend/select-backend'
import { checkDataset } from '../engine/data/check-dataset'
import { ENGINE_VERSION } from '../engine/version'
import type { InvokeArg, InvokeChannel, InvokeReturn, IpcResult } from '../../shared/ipc/invoke-map'
import { WorkspaceRequestError, type ProductStore } from '../workspace/products'
import type { RunStore } from '../workspace/runs'
import type { RunService } from '../app/run-service'
import type { EstimateService } from '../app/estimate-service'
import { PRESETS, resolveConfig } from '../engine/pbas/config'
import type { Jobs } from '../jobs/job-lanes'
import { importBackbone, listStoredWeights, type StoredWeights } from '../engine/backbone/weight-store'
import { RESNET_SPECS, type ResNetArch } from '../engine/backbone/resnet-spec'
import { TORCHVISION_FILES, weightsBaseUrl } from '../engine/backbone/torchvision-catalog'
import { defaultDataDir } from '../engine/util/data-dir'
import type { BackboneOption } from '../../shared/models/workspace'
import { readDataset } from '../engine/data/read-dataset'
import type { DatasetSummary } from '../../shared/models/dataset-summary'
import { thumbnailDataUrl } from '../engine/image/thumbnail'
import { InvalidArgument, object, optionalString, requireString } from './validate'
import { createReviewHandlers, type ReviewHandlerContext } from './review-handlers'

type Handler<C extends InvokeChannel> = (arg: InvokeArg<C>) => Promise<InvokeReturn<C>>
/** One handler per declared channel (the type makes a missing one a compile error). */
export type Handlers = { [C in InvokeChannel]: Handler<C> }

/** What handlers work with. */
export interface HandlerContext {
  products: ProductStore
  runs: RunStore
  runService: RunService
  estimates: EstimateService
  runner: Jobs
  /** where backbone weights are stored (default: the user data folder) */
  dataDir?: string
  /** the workspace folder (image copies go under it) */
  workspace?: string
  /** the native folder dialog (Electron only) */
  chooseFolder?: () => Promise<string | null>
}

/** Everything the handlers need, including review (evaluations, verdicts, plots, reports). */
export type AppHandlerContext = HandlerContext & ReviewHandlerContext

function backboneOption(arch: string, stored?: StoredWeights): BackboneOption {
  return { arch, stored: !!stored, file: stored?.file, sha256: stored?.sha256, layers: stored?.layers, url: `${weightsBaseUrl()}/${TORCHVISION_FILES[arch as ResNetArch]}` }
}

function archOf(v: unknown): ResNetArch {
  if (typeof v !== 'string' || !(v in RESNET_SPECS)) throw new InvalidArgument(`arch must be one of ${Object.keys(RESNET_SPECS).join(', ')}`)
  return v as ResNetArch
}

type Override = string | number | boolean | string[] | null

function overrides(v: unknown): Record<string, Override> {
  if (v === undefined) return {}
  const o = object(v, 'overrides as { key: value }')
  for (const [k, x] of Object.entries(o))
    if (!['string', 'number', 'boolean'].includes(typeof x) && x !== null && !(Array.isArray(x) && x.every((t) => typeof t === 'string')))
      throw new InvalidArgument(`override ${k} must be a string, number, boolean, list of strings or null`)
  return o as Record<string, Override>
}

/** A preset name and overrides the engine accepts (checked now, not in the worker). */
function runSettings(a: Record<string, unknown>): { preset: string; overrides: Record<string, Override> } {
  const preset = requireString(a.preset, 'preset')
  if (!PRESETS[preset]) throw new InvalidArgument(`preset must be one of ${Object.keys(PRESETS).join(', ')}`)
  const o = overrides(a.overrides)
  try {
    resolveConfig(PRESETS[preset], o)
  } catch (err) {
    throw new InvalidArgument((err as Error).message)
  }
  return { preset, overrides: o }
}

function optionalText(v: unknown, name: string, max: number): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v.length > max) throw new InvalidArgument(`${name} must be text of at most ${max} characters`)
  return v
}

/** Builds the handlers; arguments are validated at run time because the renderer is untrusted. */
export function createHandlers(ctx: AppHandlerContext): Handlers {
  return {
    ...createReviewHandlers(ctx),
    'app:info': async () => {
      const b = await initBackend()
      return { desktop: !!ctx.chooseFolder, engineVersion: ENGINE_VERSION, backend: b.name, gpu: b.gpu, backendReason: b.reason }
    },
    'dataset:check': async (arg) => {
      const a = object(arg, '{ dir, category? }')
      return checkDataset(requireString(a.dir, 'dir'), { category: optionalString(a.category, 'category') })
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
    'datasets:import': async (arg) => {
      const a = object(arg, '{ productId, dir, category? }')
      const productId = requireString(a.productId, 'productId')
      const summary = await checkDataset(requireString(a.dir, 'dir'), { category: optionalString(a.category, 'category') })
      return ctx.products.addDataset(productId, summary)
    },
    'datasets:list': async (arg) => ctx.products.datasets(requireString(object(arg, '{ productId }').productId, 'productId')),
    'runs:list': async (arg) => ctx.runs.list(requireString(object(arg, '{ productId }').productId, 'productId')),
    'runs:start': async (arg) => {
      const a = object(arg, '{ productId, datasetId, preset, overrides?, name?, note?, estimateSeconds? }')
      const { preset, overrides: o } = runSettings(a)
      const est = a.estimateSeconds
      if (est !== undefined && (typeof est !== 'number' || !Number.isFinite(est) || est < 0)) throw new InvalidArgument('estimateSeconds must be a non-negative number')
      const about = { name: optionalText(a.name, 'name', 200)?.trim() || undefined, note: optionalText(a.note, 'note', 10_000) || undefined, estimateSeconds: est as number | undefined }
      return ctx.runService.start(requireString(a.productId, 'productId'), requireString(a.datasetId, 'datasetId'), preset, o, about)
    },
    'runs:describe': async (arg) => {
      const a = object(arg, '{ runId, name?, note? }')
      return ctx.runs.describe(requireString(a.runId, 'runId'), { name: optionalText(a.name, 'name', 200), note: optionalText(a.note, 'note', 10_000) })
    },
    'runs:estimate': async (arg) => {
      const a = object(arg, '{ datasetId, preset, overrides?, refresh? }')
      const { preset, overrides: o } = runSettings(a)
      return ctx.estimates.estimate(requireString(a.datasetId, 'datasetId'), preset, o, a.refresh === true)
    },
    'runs:cancel': async (arg) => ctx.runService.cancel(requireString(object(arg, '{ runId }').runId, 'runId')),
    'runs:resume': async (arg) => ctx.runService.resume(requireString(object(arg, '{ runId }').runId, 'runId')),
    'runs:epochs': async (arg) => ctx.runs.epochs(requireString(object(arg, '{ runId }').runId, 'runId')),
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
      if (!job || job.request.kind !== 'dataset-check' || job.state !== 'succeeded') throw new InvalidArgument('that check has not finished (or does not exist); check the folder first')
      const summary = job.result as DatasetSummary
      if (!summary.ok) throw new InvalidArgument('the data set has errors; fix them and check again before saving')
      const productId = requireString(a.productId, 'productId')
      if (a.copy !== true) return ctx.products.addDataset(productId, summary)
      // Images are referenced where they are unless the user asks for a copy inside the workspace.
      if (!ctx.workspace) throw new InvalidArgument('this app has no workspace folder to copy into')
      const dest = join(ctx.workspace, 'images', `${Date.now()}-${basename(summary.root)}`)
      await cp(summary.root, dest, { recursive: true, errorOnExist: true })
      return ctx.products.addDataset(productId, { ...summary, root: dest })
    },
    'jobs:cancel': async (arg) => ctx.runner.cancel(requireString(object(arg, '{ jobId }').jobId, 'jobId')),
    'dialog:open-folder': async () => {
      if (!ctx.chooseFolder) throw new InvalidArgument('no folder dialog in browser mode; type the folder path instead')
      return ctx.chooseFolder()
    },
    'backbones:list': async () => {
      const stored = await listStoredWeights(ctx.dataDir ?? defaultDataDir())
      return Object.keys(RESNET_SPECS).map((arch) => backboneOption(arch, stored.find((w) => w.arch === arch)))
    },
    'backbones:import': async (arg) => {
      const a = object(arg, '{ path, arch? }')
      const rec = await importBackbone(requireString(a.path, 'path'), ctx.dataDir ?? defaultDataDir(), a.arch === undefined ? undefined : archOf(a.arch))
      return backboneOption(rec.arch, rec)
    },
    'backbones:fetch': async (arg) => ({ jobId: ctx.runner.submit({ kind: 'backbone-fetch', arch: archOf(object(arg, '{ arch }').arch) }).id }),
  }
}

/** Runs a handler and wraps its outcome in the IpcResult envelope; never throws. */
export function createDispatch(handlers: Handlers) {
  return async function dispatch<C extends InvokeChannel>(channel: C, arg: unknown): Promise<IpcResult<InvokeReturn<C>>> {
    const h = (handlers as unknown as Record<string, Handler<C> | undefined>)[channel]
    if (!h) return { ok: false, error: { code: 'not-found', message: `unknown channel ${String(channel)}` } }
    try {
      return { ok: true, value: await h(arg as InvokeArg<C>) }
    } catch (err) {
      const code = err instanceof InvalidArgument || err instanceof WorkspaceRequestError ? 'invalid-argument' : 'failed'
      return { ok: false, error: { code, message: (err as Error).message } }
    }
  }
}
