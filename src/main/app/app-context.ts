// Everything the app's handlers need, built from one workspace folder (Electron, pbas serve and tests alike).
import type Database from 'better-sqlite3'
import { join } from 'node:path'
import { JobRunner } from '../jobs/job-runner'
import { openWorkspace } from '../workspace/workspace-db'
import { ProductStore } from '../workspace/products'
import { RunStore } from '../workspace/runs'
import { RunService } from './run-service'
import { createDispatch, createHandlers } from '../ipc/handlers'

/** The app's state and its IPC dispatcher. */
export interface AppContext {
  workspace: string
  db: Database.Database
  products: ProductStore
  runs: RunStore
  runner: JobRunner
  runService: RunService
  dispatch: ReturnType<typeof createDispatch>
  close(): Promise<void>
}

/** Opens the workspace and wires stores, job runner and handlers. `workerScript`: out/main/engine-worker.js (or the .ts source in tests). */
export function createAppContext(workspace: string, workerScript: string, dataDir?: string, chooseFolder?: () => Promise<string | null>): AppContext {
  const db = openWorkspace(workspace)
  const products = new ProductStore(db)
  const runs = new RunStore(db)
  const runner = new JobRunner({ workerScript })
  const runService = new RunService(runs, products, runner, join(workspace, 'models'))
  const dispatch = createDispatch(createHandlers({ products, runs, runService, runner, dataDir, chooseFolder, workspace }))
  return {
    workspace, db, products, runs, runner, runService, dispatch,
    async close() {
      await runner.dispose()
      db.close()
    },
  }
}
