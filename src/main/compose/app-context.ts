// The composition root: opens one workspace folder and wires stores, job lanes, services and the IPC handlers (Electron, pbas serve and tests alike).
import { join } from 'node:path'
import { userInfo } from 'node:os'
import { JobRunner } from '../jobs/job-runner'
import { JobLanes } from '../jobs/job-lanes'
import { openWorkspace } from '../workspace/workspace-db'
import type { SqlDriver } from '../workspace/sql/sql-driver'
import { ProductStore } from '../workspace/products'
import { RunStore } from '../workspace/runs'
import { RunService } from '../app/run-service'
import { EstimateService } from '../app/estimate-service'
import { CostMeasureStore } from '../workspace/cost-measures'
import { ReviewService } from '../app/review-service'
import { StationService } from '../app/station-service'
import { TrainingSetService } from '../app/training-set-service'
import { ReviewFolders } from '../app/review-folders'
import { DatasetService } from '../app/dataset-service'
import { BackboneService } from '../app/backbone-service'
import { CalibrationService } from '../app/calibration-service'
import { EvaluationStore } from '../workspace/evaluations'
import { StationStore } from '../workspace/stations'
import { DeskStationReport } from '../app/desk-station-report'
import { chromiumPdf, findChromium } from '../report/pdf-chromium'
import { exportReport, type PdfPrinter } from '../report/export-report'
import { readReviewSummary } from '../engine/review/review-file'
import { createDispatch, createHandlers } from '../ipc/handlers'

/** The app's state and its IPC dispatcher. */
export interface AppContext {
  /** the folder of the workspace's files (models, reviews, reports, copied images): the workspace folder, or a PostgreSQL workspace's shared folder */
  workspace: string
  /** where the workspace's database is (a folder, or a PostgreSQL URL without its password) */
  location: string
  db: SqlDriver
  products: ProductStore
  runs: RunStore
  /** the stations writing to the workspace (the fleet) */
  fleet: StationStore
  /** the job lanes: training and evaluations in one worker, feature plots and exports in another, the station in a third */
  runner: JobLanes
  runService: RunService
  estimates: EstimateService
  evaluations: EvaluationStore
  reviewService: ReviewService
  stationService: StationService
  trainingSet: TrainingSetService
  reviewFolders: ReviewFolders
  datasets: DatasetService
  backbones: BackboneService
  calibrationService: CalibrationService
  dispatch: ReturnType<typeof createDispatch>
  close(): Promise<void>
}

/** Options of {@link createAppContext}. */
export interface AppOptions {
  /** out/main/engine-worker.js (or the .ts source in tests) */
  workerScript: string
  /** where backbone weights are stored (default: the user data folder) */
  dataDir?: string
  /** the native folder dialog (Electron only) */
  chooseFolder?: () => Promise<string | null>
  /** opens a file in the OS's own viewer (Electron only: a report from the Report tab) */
  openFile?: (path: string) => Promise<void>
  /** HTML -> PDF for reports; default: a headless Chromium when one is installed */
  printPdf?: PdfPrinter | null
  /** who verdicts are recorded as (default: PBAS_REVIEWER or the OS user) */
  reviewer?: string
  /** a PostgreSQL workspace's shared file folder (the same path on every machine; default: PBAS_WORKSPACE_FILES, else the one recorded in the workspace) */
  files?: string
}

/** Opens the workspace (a folder or a postgres:// URL) and wires stores, job runner, services and handlers. */
export function createAppContext(location: string, opts: AppOptions): AppContext {
  const ws = openWorkspace(location, { files: opts.files ?? (process.env.PBAS_WORKSPACE_FILES || undefined) })
  const { db, files: workspace } = ws
  const products = new ProductStore(db)
  const runs = new RunStore(db)
  // Plots, exports and image checks are short and user-initiated: their own lane lets them run while a training job holds the main one.
  // Run-cost measurements share it: the training form asks for them while a run may be training.
  // A station runs for hours: its own lane keeps evaluations, plots and training going beside it.
  const runner = new JobLanes(new JobRunner({ workerScript: opts.workerScript }), [
    { runner: new JobRunner({ workerScript: opts.workerScript }), kinds: ['feature-plot', 'export', 'run-estimate', 'image-check', 'dataset-thumbnails', 'reference-photo'] },
    { runner: new JobRunner({ workerScript: opts.workerScript }), kinds: ['station'] },
  ])
  const evaluations = new EvaluationStore(db)
  const fleet = new StationStore(db)
  const reviewService = new ReviewService(evaluations, runs, products, runner, join(workspace, 'reviews'))
  const runService = new RunService(runs, products, runner, join(workspace, 'models'), { evaluations, service: reviewService })
  const stationService = new StationService(runs, evaluations, runner, join(workspace, 'reviews'), reviewService)
  // The app's own station shows in the fleet too (every desk sees what runs where).
  new DeskStationReport(fleet, runs, (l) => stationService.on(l))
  const estimates = new EstimateService(new CostMeasureStore(db), products, runner)
  const trainingSet = new TrainingSetService(products, evaluations, runner)
  const reviewFolders = new ReviewFolders(evaluations, runs)
  const datasets = new DatasetService(products, runner, workspace)
  const backbones = new BackboneService(opts.dataDir)
  const calibrationService = new CalibrationService(runs)
  const printPdf = opts.printPdf === undefined ? (findChromium() ? chromiumPdf : null) : opts.printPdf
  const reviewer = opts.reviewer ?? (process.env.PBAS_REVIEWER || userInfo().username)
  const dispatch = createDispatch(createHandlers({
    products, runs, runService, estimates, runner, evaluations, fleet, reviewService, stationService, trainingSet, reviewFolders, datasets, backbones, calibrationService, reviewer, workspace, chooseFolder: opts.chooseFolder, openFile: opts.openFile,
    readReview: readReviewSummary,
    writeReport: (evaluationId, pdf, overlay) => exportReport({ products, runs, evaluations }, evaluationId, join(workspace, 'reports'), pdf ? printPdf : null, overlay),
  }))
  return {
    workspace, location: ws.location, db, products, runs, fleet, runner, runService, estimates, evaluations, reviewService, stationService, trainingSet, reviewFolders, datasets, backbones, calibrationService, dispatch,
    async close() {
      stationService.dispose()
      await runner.dispose()
      db.close()
    },
  }
}

