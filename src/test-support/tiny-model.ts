// A tiny trained PBAS model on a synthetic product (64 px, the built-in ResNet18), for engine tests.
import { afterAll, beforeAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../main/engine/backend/select-backend'
import { writeSyntheticProduct } from '../main/engine/demo/synthetic-product'
import { DEFAULT_CONFIG, resolveConfig } from '../main/engine/pbas/config'
import { runTrainingPipeline } from '../main/engine/pipeline/train-pipeline'
import { BUILT_IN_RESNET18, REPO_ROOT } from './shared'

/** Backbone context for models trained under `dir`. */
export const tinyBackbone = (dir: string) => ({ dataDir: join(dir, 'data'), resourcesDir: join(REPO_ROOT, 'resources') })

/** A 64 px, 64-D configuration with the real ResNet18 that trains in seconds. */
export function tinyConfig(over: Record<string, unknown> = {}) {
  return resolveConfig({
    backbone: BUILT_IN_RESNET18,
    imageSize: 64, resize: 64, pretrainDim: 64, targetDim: 64, discHidden: 32,
    epochs: 4, batchSize: 4, checkpointEvery: 1, lrProjector: 1e-3, lrDiscriminator: 1e-3,
    ...over,
  })
}

/**
 * One epoch at the engine's default learning rates and checkpoint interval, the built-in ResNet18 by name, a
 * quarter of the good images held out: the quickest model, for tests about files and flows rather than learning.
 */
export const ONE_EPOCH = {
  backbone: 'resnet18', epochs: 1, checkpointEvery: DEFAULT_CONFIG.checkpointEvery,
  lrProjector: DEFAULT_CONFIG.lrProjector, lrDiscriminator: DEFAULT_CONFIG.lrDiscriminator, validationShare: 0.25,
}

/** Writes `<dir>/product`: 12 train good; test: 4 good, 3 scratch, 3 dent, with masks. */
export async function writeTinyProduct(dir: string): Promise<string> {
  const data = join(dir, 'product')
  await writeSyntheticProduct(data, { size: 64, trainGood: 12, testGood: 4, testScratch: 3, testDent: 3, seed: 5 })
  return data
}

/** Writes the tiny product and trains `<dir>/model` on it (a quarter of the good images held out). */
export async function trainTinyModel(dir: string, over: Record<string, unknown> = {}): Promise<{ data: string; model: string }> {
  const data = await writeTinyProduct(dir)
  const model = join(dir, 'model')
  await runTrainingPipeline({ data, out: model, config: tinyConfig({ validationShare: 0.25, ...over }), backbone: tinyBackbone(dir), backendName: 'wasm' })
  return { data, model }
}

/**
 * A tiny model trained once for a test file: registers beforeAll (backend, temp folder, training) and afterAll
 * (removal); the returned object's fields are set when the tests run.
 */
export function tinyModelFixture(prefix: string, over: Record<string, unknown> = {}): { dir: string; data: string; model: string } {
  const f = { dir: '', data: '', model: '' }
  beforeAll(async () => {
    await initBackend()
    f.dir = await mkdtemp(join(tmpdir(), prefix))
    Object.assign(f, await trainTinyModel(f.dir, over))
  }, 120_000)
  afterAll(async () => {
    await rm(f.dir, { recursive: true, force: true })
  })
  return f
}
