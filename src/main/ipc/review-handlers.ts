// Handlers for review: evaluations, review data and images, thresholds, verdicts, training additions, plots, reports.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ChosenThreshold, VerdictValue } from '../../shared/models/review'
import type { EvaluationStore } from '../workspace/evaluations'
import type { RunStore } from '../workspace/runs'
import { reviewFiles } from '../engine/review/write-review'
import { thumbnailDataUrl } from '../engine/image/thumbnail'
import { isModelDir, readModelMeta } from '../engine/model/model-file'
import type { HandlerMap } from './handler-types'
import type { ReportWriter, ReviewControl, ReviewReader } from './ports'
import { InvalidArgument, finite, object, oneOf, optionalString, requireString } from './validate'

type ReviewChannel = 'evaluations:list' | 'evaluations:start' | 'evaluations:cancel' | 'evaluations:review' | 'evaluations:thumbs' | 'evaluations:image' | 'evaluations:set-threshold'
  | 'verdicts:list' | 'verdicts:set' | 'plots:start' | 'plots:centre' | 'reports:export'

/** What the review handlers need. */
export interface ReviewHandlerContext {
  runs: RunStore
  evaluations: EvaluationStore
  reviewService: ReviewControl
  /** who verdicts are recorded as */
  reviewer: string
  readReview: ReviewReader
  writeReport: ReportWriter
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
      return Object.fromEntries(await Promise.all(indices.map(async (i) => [i, await dataUrl(join(e.dir, reviewFiles.thumb(i)), 'image/jpeg')] as const)))
    },
    'evaluations:image': async (arg) => {
      const a = object(arg, '{ evaluationId, index }')
      const e = ctx.evaluations.get(requireString(a.evaluationId, 'evaluationId'))
      const i = a.index
      const item = typeof i === 'number' && Number.isInteger(i) ? ctx.evaluations.item(e.id, i) : undefined
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
      const verdict: VerdictValue | null = a.verdict === null ? null : oneOf(a.verdict, VERDICTS, "verdict ('defect', 'good', 'unsure' or null)")
      const runId = requireString(a.runId, 'runId')
      const imagePath = requireString(a.imagePath, 'imagePath')
      // A verdict is about an image the run's model scored; anything else would be a record about nothing.
      if (!ctx.evaluations.hasImage(runId, imagePath)) throw new InvalidArgument(`${imagePath} is not an image of any evaluation of run ${runId}`)
      return ctx.evaluations.setVerdict(runId, imagePath, verdict, ctx.reviewer)
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
      const a = object(arg, '{ evaluationId, pdf? }')
      return ctx.writeReport(requireString(a.evaluationId, 'evaluationId'), a.pdf !== false)
    },
  }
}
