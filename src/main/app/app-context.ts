// Everything the app's handlers need, built from one workspace folder (Electron, pbas serve and tests alike).
import type Database from 'better-sqlite3'
import { join } from 'node:path'
import { userInfo } from 'node:os'
import { JobRunner } from '../jobs/job-runner'
import { JobLanes } from '../jobs/job-lanes'
import { openWorkspace } from '../workspace/workspace-db'
import { ProductStore } from '../workspace/products'
import { RunStore } from '../workspace/runs'
import { RunService } from './run-service'
import { EstimateService } from './estimate-service'
import { CostMeasureStore } from '../workspace/cost-measures'
import { ReviewService } from './review-service'
import { EvaluationStore } from '../workspace/evaluations'
import { chromiumPdf, findChromium } from '../report/pdf-chromium'
import type { PdfPrinter } from '../report/export-report'
import { createDispatch, createHandlers } from '../ipc/handlers'

/** The app's state and its IPC dispatcher. */
export interface AppContext {
  workspace: string
  db: Database.Database
  products: ProductStore
  runs: RunStore
  /** the job lanes: training and evaluations in one worker, feature plots in another */
  runner: JobLanes
  runService: RunService
  estimates: EstimateService
  evaluations: EvaluationStore
  reviewService: ReviewService
  dispatch: ReturnType<typeof createDispatch>
  close(): Promise<void>
}

/** Opens the workspace and wires stores, job runner and handlers. `workerScript`: out/main/engine-worker.js (or the .ts source in tests). */
export function createAppContext(
  workspace: string, workerScript: string, dataDir?: string, chooseFolder?: () => Promise<string | null>,
  /** HTML -> PDF for reports; default: a headless Chromium when one is installed */
  printPdf: PdfPrinter | null = findChromium() ? chromiumPdf : null,
): AppContext {
  const db = openWorkspace(workspace)
  const products = new ProductStore(db)
  const runs = new RunStore(db)
  // Plots are short and user-initiated: their own lane lets them run while a training job holds the main one.
  // Run-cost measurements share it: the training form asks for them while a run may be training.
  const runner = new JobLanes(new JobRunner({ workerScript }), [{ runner: new JobRunner({ workerScript }), kinds: ['feature-plot', 'run-estimate'] }])
  const evaluations = new EvaluationStore(db)
  // The run service records a finished run's test-split review through the review service before it emits the run's new state.
  const reviewService = new ReviewService(evaluations, runs, products, runner, join(workspace, 'reviews'))
  const runService = new RunService(runs, products, runner, join(workspace, 'models'), { evaluations, service: reviewService })
  const estimates = new EstimateService(new CostMeasureStore(db), products, runner)
  const dispatch = createDispatch(createHandlers({ products, runs, runService, estimates, runner, dataDir, chooseFolder, workspace, evaluations, reviewService, reviewer: process.env.PBAS_REVIEWER || userInfo().username, printPdf }))
  return {
    workspace, db, products, runs, runner, runService, estimates, evaluations, reviewService, dispatch,
    async close() {
      await runner.dispose()
      db.close()
    },
  }
}
