import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SqlDriver } from '../workspace/sql/sql-driver'
import { JobRunner } from '../jobs/job-runner'
import { openWorkspace } from '../workspace/workspace-db'
import { ProductStore } from '../workspace/products'
import { RunStore } from '../workspace/runs'
import { RunService } from './run-service'
import { resolveConfig } from '../engine/pbas/config'
import { checkDataset } from '../engine/data/check-dataset'
import { writeSyntheticProduct } from '../engine/demo/synthetic-product'
import type { RunEvent } from '../../shared/models/workspace'
import { BUILT_IN_RESNET18, REPO_ROOT } from '../../test-support/shared'

let dir: string
let db: SqlDriver
let runner: JobRunner
let service: RunService
let products: ProductStore
let runs: RunStore
const tiny = { backbone: BUILT_IN_RESNET18, imageSize: 64, resize: 64, pretrainDim: 64, targetDim: 64, discHidden: 16, batchSize: 4, checkpointEvery: 1, stopRule: 'budget' } // every epoch: this test is about epochs, cancel and resume

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-runs-'))
  await writeSyntheticProduct(join(dir, 'p'), { size: 64, trainGood: 8, testGood: 2, testScratch: 2, testDent: 2, seed: 2 })
  db = openWorkspace(join(dir, 'ws')).db
  products = new ProductStore(db)
  runs = new RunStore(db)
  runner = new JobRunner({ workerScript: join(REPO_ROOT, 'src/main/jobs/engine-worker.ts') })
  service = new RunService(runs, products, runner, join(dir, 'models'))
})
afterAll(async () => {
  await runner.dispose()
  db.close()
  await rm(dir, { recursive: true, force: true })
})

function waitFor(runId: string, pred: (e: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const off = service.on((e) => {
      if (e.runId === runId && pred(e)) {
        off()
        resolve(e)
      }
    })
  })
}

describe('training runs from the app', () => {
  it('starts a run in the worker, records its epochs, cancels, resumes from the checkpoint and finishes', async () => {
    const product = products.create('Discs')
    const ds = products.addDataset(product.id, await checkDataset(join(dir, 'p')))
    const run = service.start(product.id, ds.id, 'quick', { ...tiny, epochs: 5 })
    expect(run.state).toBe('queued')
    await waitFor(run.id, (e) => e.type === 'progress' && e.progress.kind === 'epoch' && e.progress.epoch === 2)
    expect(service.cancel(run.id)).toBe(true)
    const cancelled = await waitFor(run.id, (e) => e.type === 'state' && ['cancelled', 'failed', 'succeeded'].includes(e.run.state))
    expect(cancelled.type === 'state' && cancelled.run.state).toBe('cancelled')
    expect(runs.epochs(run.id).length).toBeGreaterThanOrEqual(2)
    const resumed = service.resume(run.id)
    expect(resumed.state).toBe('queued')
    const steps: number[] = []
    service.on((e) => e.runId === run.id && e.type === 'progress' && e.progress.kind === 'epoch' && steps.push(e.progress.epoch))
    const done = await waitFor(run.id, (e) => e.type === 'state' && ['succeeded', 'failed'].includes(e.run.state))
    expect(done.type === 'state' && [done.run.state, done.run.error]).toEqual(['succeeded', undefined])
    expect(Math.min(...steps)).toBeGreaterThan(1) // resumed after the checkpointed epochs
    expect(runs.epochs(run.id).map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5])
    expect(runs.list(product.id)[0]).toMatchObject({ id: run.id, state: 'succeeded', finishedAt: expect.any(String), metrics: { image_auroc: expect.any(Number), pixel_pro: expect.any(Number) } })
  }, 120_000)

  it("trains with the product's region as it was when the run started", async () => {
    const product = products.create('Labelled discs')
    const ds = products.addDataset(product.id, await checkDataset(join(dir, 'p')))
    const region = { imageWidth: 64, imageHeight: 64, inspect: [], ignore: [{ type: 'rect' as const, x: 0, y: 0, width: 16, height: 64 }] }
    products.setRegion(product.id, region)
    const run = service.start(product.id, ds.id, 'quick', { ...tiny, epochs: 1 })
    products.setRegion(product.id, null) // a later edit is for the next run
    expect(runs.get(run.id).region).toEqual(region)
    const done = await waitFor(run.id, (e) => e.type === 'state' && ['succeeded', 'failed'].includes(e.run.state))
    expect(done.type === 'state' && [done.run.state, done.run.error]).toEqual(['succeeded', undefined])
    expect(JSON.parse(await readFile(join(run.modelDir, 'model.json'), 'utf8'))).toMatchObject({ region, keptPatches: expect.any(Number) })
  }, 120_000)

  it('marks runs left running by a closed app as interrupted, resumable', () => {
    const product = products.create('Old')
    const ds = products.addDataset(product.id, { root: join(dir, 'p'), layout: 'mvtec', counts: [], trainGood: 8, testGood: 2, testDefect: 4, defectTypes: [], imageSizes: [], problems: [], ok: true })
    const r = runs.create(product.id, ds.id, resolveConfig(), (id) => join(dir, id))
    runs.setState(r.id, 'running')
    expect(runs.markInterrupted()).toBe(1)
    expect(runs.get(r.id)).toMatchObject({ state: 'cancelled', error: expect.stringContaining('resume to continue') })
  })
})
