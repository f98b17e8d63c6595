// Handlers for review: evaluations, review data and images, thresholds, verdicts, training additions, plots, reports.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { InvokeArg, InvokeChannel, InvokeReturn } from '../../shared/ipc/invoke-map'
import type { ChosenThreshold, ReviewSummary, VerdictValue } from '../../shared/models/review'
import type { EvaluationStore } from '../workspace/evaluations'
import type { ProductStore } from '../workspace/products'
import type { RunStore } from '../workspace/runs'
import type { ReviewService } from '../app/review-service'
import { reviewFiles } from '../engine/review/write-review'
import { thumbnailDataUrl } from '../engine/image/thumbnail'
import { exportReport, type PdfPrinter } from '../report/export-report'
import { reviewOverlayPng } from '../engine/review/overlay'
import { DEFAULT_OVERLAY, type OverlayChoice, type OverlayLevels } from '../../shared/review/overlay'
import { InvalidArgument, object, optionalString, requireString } from './validate'

type Handler<C extends InvokeChannel> = (arg: InvokeArg<C>) => Promise<InvokeReturn<C>>
type ReviewChannel = 'evaluations:list' | 'evaluations:start' | 'evaluations:cancel' | 'evaluations:review' | 'evaluations:thumbs' | 'evaluations:image' | 'evaluations:set-threshold'
  | 'verdicts:list' | 'verdicts:set' | 'training:add-good' | 'plots:start' | 'plots:centre' | 'reports:export'

/** What the review handlers need. */
export interface ReviewHandlerContext {
  products: ProductStore
  runs: RunStore
  evaluations: EvaluationStore
  reviewService: ReviewService
  /** who verdicts are recorded as */
  reviewer: string
  workspace?: string
  printPdf?: PdfPrinter | null
}

const VERDICTS: readonly (VerdictValue | null)[] = ['defect', 'good', 'unsure', null]
const STAGES = ['initial', 'checkpoint', 'final'] as const

async function dataUrl(path: string, type: string): Promise<string> {
  return `data:${type};base64,${(await readFile(path)).toString('base64')}`
}

function finite(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgument(`${name} must be a finite number`)
  return v
}

function threshold(v: unknown): ChosenThreshold {
  const t = object(v, '{ mode, value, review, fprTarget? }')
  if (!['f1-max', 'fpr', 'manual'].includes(t.mode as string)) throw new InvalidArgument("threshold mode must be 'f1-max', 'fpr' or 'manual'")
  const value = finite(t.value, 'threshold value')
  const review = finite(t.review, 'review band start')
  if (review > value) throw new InvalidArgument('the review band must start at or below the threshold')
  const out: ChosenThreshold = { mode: t.mode as ChosenThreshold['mode'], value, review }
  if (t.fprTarget !== undefined) out.fprTarget = finite(t.fprTarget, 'fprTarget')
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
export function createReviewHandlers(ctx: ReviewHandlerContext): { [C in ReviewChannel]: Handler<C> } {
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
      if (e.state !== 'succeeded') throw new InvalidArgument(`evaluation ${e.id} is ${e.state}; wait for it to finish`)
      const { items: _fromFile, ...summary } = JSON.parse(await readFile(join(e.dir, reviewFiles.summary), 'utf8')) as ReviewSummary
      return { ...summary, items: ctx.evaluations.items(e.id) }
    },
    'evaluations:thumbs': async (arg) => {
      const a = object(arg, '{ evaluationId, indices }')
      const e = ctx.evaluations.get(requireString(a.evaluationId, 'evaluationId'))
      const n = e.images ?? 0
      if (!Array.isArray(a.indices) || a.indices.length > 500 || !a.indices.every((i) => Number.isInteger(i) && i >= 0 && i < n))
        throw new InvalidArgument(`indices must be at most 500 image numbers below ${n}`)
      const indices = a.indices as number[]
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
      const item = Number.isInteger(i) ? ctx.evaluations.item(e.id, i as number) : undefined
      if (!item) throw new InvalidArgument(`index must be an image number below ${e.images ?? 0}`)
      const mask = join(e.dir, reviewFiles.mask(item.index))
      return {
        image: await dataUrl(join(e.dir, reviewFiles.image(item.index)), 'image/jpeg'),
        map: await dataUrl(join(e.dir, reviewFiles.map(item.index)), 'image/png'),
        mask: existsSync(mask) ? await dataUrl(mask, 'image/png') : null,
        nearest: item.nearestPath && existsSync(item.nearestPath) ? await thumbnailDataUrl(item.nearestPath, 512) : null,
      }
    },
    'evaluations:set-threshold': async (arg) => {
      const a = object(arg, '{ evaluationId, threshold }')
      return ctx.evaluations.setThreshold(requireString(a.evaluationId, 'evaluationId'), threshold(a.threshold))
    },
    'verdicts:list': async (arg) => ctx.evaluations.verdicts(requireString(object(arg, '{ runId }').runId, 'runId')),
    'verdicts:set': async (arg) => {
      const a = object(arg, '{ runId, imagePath, verdict }')
      if (!VERDICTS.includes(a.verdict as VerdictValue | null)) throw new InvalidArgument("verdict must be 'defect', 'good', 'unsure' or null")
      return ctx.evaluations.setVerdict(requireString(a.runId, 'runId'), requireString(a.imagePath, 'imagePath'), a.verdict as VerdictValue | null, ctx.reviewer)
    },
    'training:add-good': async (arg) => {
      const a = object(arg, '{ productId, paths }')
      const productId = requireString(a.productId, 'productId')
      if (!Array.isArray(a.paths) || a.paths.length === 0) throw new InvalidArgument('paths must be a non-empty list of image paths')
      const paths = a.paths.map((p, i) => requireString(p, `paths[${i}]`))
      const missing = paths.filter((p) => !existsSync(p))
      if (missing.length) throw new InvalidArgument(`these images no longer exist: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`)
      const added = ctx.evaluations.addTrainingImages(productId, paths, ctx.reviewer)
      return { added, total: ctx.evaluations.trainingAdditions(productId).length }
    },
    'plots:start': async (arg) => {
      const a = object(arg, '{ runId, stage }')
      if (!STAGES.includes(a.stage as (typeof STAGES)[number])) throw new InvalidArgument(`stage must be one of ${STAGES.join(', ')}`)
      return ctx.reviewService.plot(requireString(a.runId, 'runId'), a.stage as (typeof STAGES)[number])
    },
    'plots:centre': async (arg) => {
      const run = ctx.runs.get(requireString(object(arg, '{ runId }').runId, 'runId'))
      const file = join(run.modelDir, 'model.json')
      // A running run has its centre only inside a (large) checkpoint; the curve appears with the model.
      if (!existsSync(file)) return { distances: [], rule: 'shown when the run has finished' }
      const meta = JSON.parse(await readFile(file, 'utf8')) as { centreDistances: number[]; config: { centreInit: string; beta: number } }
      return { distances: meta.centreDistances, rule: `${meta.config.centreInit}, beta ${meta.config.beta}` }
    },
    'reports:export': async (arg) => {
      const a = object(arg, '{ evaluationId, pdf?, overlay? }')
      if (!ctx.workspace) throw new InvalidArgument('this app has no workspace folder to write reports into')
      const overlay = a.overlay === undefined ? DEFAULT_OVERLAY : overlayChoiceArg(a.overlay)
      return exportReport(ctx, requireString(a.evaluationId, 'evaluationId'), join(ctx.workspace, 'reports'), a.pdf === false ? null : (ctx.printPdf ?? null), overlay)
    },
  }
}
