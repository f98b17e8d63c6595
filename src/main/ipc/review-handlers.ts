// Handlers for review: evaluations, review data and images, thresholds, verdicts, training additions, plots, reports.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ChosenThreshold, VerdictValue } from '../../shared/models/review'
import type { EvaluationStore } from '../workspace/evaluations'
import type { RunStore } from '../workspace/runs'
import { reviewFiles } from '../engine/pipeline/write-review'
import { thumbnailDataUrl } from '../engine/image/thumbnail'
import { reviewPhoto } from '../engine/image/photo'
import { listReports, readReportFile } from '../report/report-files'
import { productStatus } from '../workspace/product-status'
import type { ProductStore } from '../workspace/products'
import { isModelDir, readModelMeta } from '../engine/model/model-file'
import type { HandlerMap } from './handler-types'
import type { ReportWriter, ReviewControl, ReviewReader, StationControl } from './ports'
import { InvalidArgument, finite, object, oneOf, optionalString, requireString } from './validate'
import { reviewOverlayPng } from '../engine/review/overlay'
import type { OverlayChoice, OverlayLevels } from '../../shared/review/overlay'

type ReviewChannel = 'evaluations:list' | 'evaluations:start' | 'evaluations:cancel' | 'evaluations:review' | 'evaluations:thumbs' | 'evaluations:image' | 'evaluations:set-threshold'
  | 'verdicts:list' | 'verdicts:set' | 'plots:start' | 'plots:centre' | 'reports:export' | 'reports:list' | 'reports:read' | 'reports:open' | 'products:status'

/** What the review handlers need. */
export interface ReviewHandlerContext {
  runs: RunStore
  evaluations: EvaluationStore
  reviewService: ReviewControl
  /** who verdicts are recorded as */
  reviewer: string
  readReview: ReviewReader
  writeReport: ReportWriter
  /** the workspace folder; its reports/ folder holds the reports */
  workspace?: string
  products: ProductStore
  /** a commissioning station counts the parts reviewers confirm good */
  stationService?: StationControl
  /** opens a file in the OS's viewer (the desktop app); absent in browser mode, where the renderer opens the bytes */
  openFile?: (path: string) => Promise<void>
}

const VERDICTS = ['defect', 'good', 'unsure'] as const
const STAGES = ['initial', 'checkpoint', 'final'] as const
const MODES = ['f1-max', 'fpr', 'manual'] as const

async function dataUrl(path: string, type: string): Promise<string> {
  return `data:${type};base64,${(await readFile(path)).toString('base64')}`
}

function threshold(v: unknown): ChosenThreshold {
  const t = object(v, '{ mode, value, review, fprTarget? }')
  const mode = oneOf(t.mode, MODES, 'threshold mode')
  const value = finite(t.value, 'threshold value')
  const review = finite(t.review, 'review band start')
  if (review > value) throw new InvalidArgument('the review band must start at or below the threshold')
  const out: ChosenThreshold = { mode, value, review }
  if (t.fprTarget !== undefined) out.fprTarget = finite(t.fprTarget, 'fprTarget', 0, 1)
  return out
}

function overlayLevelsArg(v: unknown): OverlayLevels {
  const o = object(v, '{ heatFrom, outlineAt }')
  const level = (x: unknown, name: string) => (x === null ? null : finite(x, name))
  return { heatFrom: level(o.heatFrom, 'overlay.heatFrom'), outlineAt: level(o.outlineAt, 'overlay.outlineAt') }
}

function overlayChoiceArg(v: unknown): OverlayChoice {
  const o = object(v, '{ aboveReviewOnly, thresholdOutline }')
  if (typeof o.aboveReviewOnly !== 'boolean' || typeof o.thresholdOutline !== 'boolean') throw new InvalidArgument('overlay.aboveReviewOnly and overlay.thresholdOutline must be true or false')
  return { aboveReviewOnly: o.aboveReviewOnly, thresholdOutline: o.thresholdOutline }
}

/** Builds the review handlers. */
export function createReviewHandlers(ctx: ReviewHandlerContext): HandlerMap<ReviewChannel> {
  const evaluationId = (arg: unknown) => requireString(object(arg, '{ evaluationId }').evaluationId, 'evaluationId')
  return {
    'evaluations:list': async (arg) => ctx.evaluations.list(requireString(object(arg, '{ runId }').runId, 'runId')),
    'evaluations:start': async (arg) => {
      const a = object(arg, '{ runId, dir?, category? }')
      return ctx.reviewService.evaluate(requireString(a.runId, 'runId'), optionalString(a.dir, 'dir'), optionalString(a.category, 'category'))
    },
    'evaluations:cancel': async (arg) => ctx.reviewService.cancel(evaluationId(arg)),
    'evaluations:review': async (arg) => {
      const e = ctx.evaluations.get(evaluationId(arg))
      // A station's review queue has its review.json from the start and grows while it runs.
      if (e.state !== 'succeeded' && !existsSync(join(e.dir, reviewFiles.summary))) throw new InvalidArgument(`evaluation ${e.id} is ${e.state}; wait for it to finish`)
      return { ...(await ctx.readReview(e.dir)), items: ctx.evaluations.items(e.id) }
    },
    'evaluations:thumbs': async (arg) => {
      const a = object(arg, '{ evaluationId, indices }')
      const e = ctx.evaluations.get(requireString(a.evaluationId, 'evaluationId'))
      const n = e.images ?? 0
      const indices = a.indices
      if (!Array.isArray(indices) || indices.length > 500 || !indices.every((i): i is number => Number.isInteger(i) && i >= 0 && i < n))
        throw new InvalidArgument(`indices must be at most 500 image numbers below ${n}`)
      const levels = a.overlay === undefined ? null : overlayLevelsArg(a.overlay)
      // The stored thumbnails show the whole heat map; other overlay choices are drawn from the stored image and map.
      if (!levels || (levels.heatFrom === null && levels.outlineAt === null))
        return Object.fromEntries(await Promise.all(indices.map(async (i) => [i, await dataUrl(join(e.dir, reviewFiles.thumb(i)), 'image/jpeg')] as const)))
      const out: Record<number, string> = {}
      for (const i of indices) out[i] = `data:image/jpeg;base64,${(await reviewOverlayPng(e.dir, i, { width: 128, levels, jpeg: true })).toString('base64')}`
      return out
    },
    'evaluations:image': async (arg) => {
      const a = object(arg, '{ evaluationId, index }')
      const e = ctx.evaluations.get(requireString(a.evaluationId, 'evaluationId'))
      const i = a.index
      const item = typeof i === 'number' && Number.isInteger(i) ? ctx.evaluations.item(e.id, i) : undefined
      if (!item) throw new InvalidArgument(`index must be an image number below ${e.images ?? 0}`)
      const mask = join(e.dir, reviewFiles.mask(item.index))
      const c = ctx.runs.get(e.runId).config
      return {
        image: await dataUrl(join(e.dir, reviewFiles.image(item.index)), 'image/jpeg'),
        map: await dataUrl(join(e.dir, reviewFiles.map(item.index)), 'image/png'),
        mask: existsSync(mask) ? await dataUrl(mask, 'image/png') : null,
        nearest: item.nearestPath && existsSync(item.nearestPath) ? await thumbnailDataUrl(item.nearestPath, 512) : null,
        // The viewer shows the part as photographed; a file moved away since leaves the network input to show.
        photo: existsSync(item.path) ? await reviewPhoto(item.path, { resize: c.resize, crop: c.imageSize, fit: c.fit }).catch(() => null) : null,
      }
    },
    'evaluations:set-threshold': async (arg) => {
      const a = object(arg, '{ evaluationId, threshold }')
      return ctx.evaluations.setThreshold(requireString(a.evaluationId, 'evaluationId'), threshold(a.threshold))
    },
    'verdicts:list': async (arg) => ctx.evaluations.verdicts(requireString(object(arg, '{ runId }').runId, 'runId')),
    'verdicts:set': async (arg) => {
      const a = object(arg, '{ runId, imagePath, verdict }')
      const verdict: VerdictValue | null = a.verdict === null ? null : oneOf(a.verdict, VERDICTS, "verdict ('defect', 'good', 'unsure' or null)")
      const runId = requireString(a.runId, 'runId')
      const imagePath = requireString(a.imagePath, 'imagePath')
      // A verdict is about an image the run's model scored; anything else would be a record about nothing.
      if (!ctx.evaluations.hasImage(runId, imagePath)) throw new InvalidArgument(`${imagePath} is not an image of any evaluation of run ${runId}`)
      const saved = ctx.evaluations.setVerdict(runId, imagePath, verdict, ctx.reviewer)
      ctx.stationService?.verdictSet(runId, imagePath, verdict)
      return saved
    },
    'plots:start': async (arg) => {
      const a = object(arg, '{ runId, stage }')
      return ctx.reviewService.plot(requireString(a.runId, 'runId'), oneOf(a.stage, STAGES, 'stage'))
    },
    'plots:centre': async (arg) => {
      const run = ctx.runs.get(requireString(object(arg, '{ runId }').runId, 'runId'))
      // A running run has its centre only inside a (large) checkpoint; the curve appears with the model.
      if (!isModelDir(run.modelDir)) return { distances: [], rule: 'shown when the run has finished' }
      const meta = await readModelMeta(run.modelDir)
      return { distances: meta.centreDistances, rule: `${meta.config.centreInit}, beta ${meta.config.beta}` }
    },
    'reports:export': async (arg) => {
      const a = object(arg, '{ evaluationId, pdf?, overlay? }')
      return ctx.writeReport(requireString(a.evaluationId, 'evaluationId'), a.pdf !== false, a.overlay === undefined ? undefined : overlayChoiceArg(a.overlay))
    },
    'products:status': async (arg) => {
      const id = requireString(object(arg, '{ productId }').productId, 'productId')
      if (!ctx.products.list().some((p) => p.id === id)) throw new InvalidArgument(`no product ${id}`)
      return productStatus(ctx, id)
    },
    'reports:list': async (arg) => (ctx.workspace ? listReports(join(ctx.workspace, 'reports'), ctx.runs.get(requireString(object(arg, '{ runId }').runId, 'runId')).id) : []),
    'reports:open': async (arg) => {
      if (!ctx.workspace || !ctx.openFile) return { opened: false }
      // Read it first: the same check that it is a report of this workspace.
      const path = requireString(object(arg, '{ path }').path, 'path')
      await readReportFile(join(ctx.workspace, 'reports'), path)
      await ctx.openFile(path)
      return { opened: true }
    },
    'reports:read': async (arg) => {
      if (!ctx.workspace) throw new InvalidArgument('this engine has no workspace to read reports from')
      return readReportFile(join(ctx.workspace, 'reports'), requireString(object(arg, '{ path }').path, 'path'))
    },
  }
}
