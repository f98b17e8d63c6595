// Handlers for review: evaluations, review data and images, thresholds, verdicts, plots, reports.
import { join } from 'node:path'
import type { EvaluationStore } from '../workspace/evaluations'
import type { RunStore } from '../workspace/runs'
import { listReports, readReportFile } from '../report/report-files'
import { productStatus } from '../workspace/product-status'
import type { ProductStore } from '../workspace/products'
import { isModelDir, readModelMeta } from '../engine/model/model-file'
import type { HandlerMap } from './handler-types'
import type { ReportWriter, ReviewControl, ReviewFolderReader, ReviewReader, StationControl } from './ports'
import { InvalidArgument } from './validate'

type ReviewChannel = 'evaluations:list' | 'evaluations:start' | 'evaluations:cancel' | 'evaluations:review' | 'evaluations:thumbs' | 'evaluations:image' | 'evaluations:set-threshold'
  | 'verdicts:list' | 'verdicts:set' | 'plots:start' | 'plots:centre' | 'reports:export' | 'reports:list' | 'reports:read' | 'reports:open' | 'products:status'

/** What the review handlers need. */
export interface ReviewHandlerContext {
  runs: RunStore
  evaluations: EvaluationStore
  reviewService: ReviewControl
  /** the review folders' pictures and summaries */
  reviewFolders: ReviewFolderReader
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

/** Builds the review handlers. */
export function createReviewHandlers(ctx: ReviewHandlerContext): HandlerMap<ReviewChannel> {
  return {
    'evaluations:list': async ({ runId }) => ctx.evaluations.list(runId),
    'evaluations:start': async ({ runId, dir, category }) => ctx.reviewService.evaluate(runId, dir, category),
    'evaluations:cancel': async ({ evaluationId }) => ctx.reviewService.cancel(evaluationId),
    'evaluations:review': async ({ evaluationId }) => ctx.reviewFolders.review(evaluationId),
    'evaluations:thumbs': async ({ evaluationId, indices, overlay }) => ctx.reviewFolders.thumbs(evaluationId, indices, overlay),
    'evaluations:image': async ({ evaluationId, index }) => ctx.reviewFolders.image(evaluationId, index),
    'evaluations:set-threshold': async ({ evaluationId, threshold }) => ctx.evaluations.setThreshold(evaluationId, threshold),
    'verdicts:list': async ({ runId }) => ctx.evaluations.verdicts(runId),
    'verdicts:set': async ({ runId, imagePath, verdict }) => {
      // A verdict is about an image the run's model scored; anything else would be a record about nothing.
      if (!ctx.evaluations.hasImage(runId, imagePath)) throw new InvalidArgument(`${imagePath} is not an image of any evaluation of run ${runId}`)
      const saved = ctx.evaluations.setVerdict(runId, imagePath, verdict, ctx.reviewer)
      ctx.stationService?.verdictSet(runId, imagePath, verdict)
      return saved
    },
    'plots:start': async ({ runId, stage }) => ctx.reviewService.plot(runId, stage),
    'plots:centre': async ({ runId }) => {
      const run = ctx.runs.get(runId)
      // A running run has its centre only inside a (large) checkpoint; the curve appears with the model.
      if (!isModelDir(run.modelDir)) return { distances: [], rule: 'shown when the run has finished' }
      const meta = await readModelMeta(run.modelDir)
      return { distances: meta.centreDistances, rule: `${meta.config.centreInit}, beta ${meta.config.beta}` }
    },
    'reports:export': async ({ evaluationId, pdf, overlay }) => ctx.writeReport(evaluationId, pdf !== false, overlay),
    'products:status': async ({ productId }) => {
      if (!ctx.products.list().some((p) => p.id === productId)) throw new InvalidArgument(`no product ${productId}`)
      return productStatus(ctx, productId)
    },
    'reports:list': async ({ runId }) => (ctx.workspace ? listReports(join(ctx.workspace, 'reports'), ctx.runs.get(runId).id) : []),
    'reports:open': async ({ path }) => {
      if (!ctx.workspace || !ctx.openFile) return { opened: false }
      // Read it first: the same check that it is a report of this workspace.
      await readReportFile(join(ctx.workspace, 'reports'), path)
      await ctx.openFile(path)
      return { opened: true }
    },
    'reports:read': async ({ path }) => {
      if (!ctx.workspace) throw new InvalidArgument('this engine has no workspace to read reports from')
      return readReportFile(join(ctx.workspace, 'reports'), path)
    },
  }
}
