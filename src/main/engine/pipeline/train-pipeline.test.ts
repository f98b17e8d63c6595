import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { onImageRead } from '../image/open-image'
import { readDataset } from '../data/read-dataset'
import { tinyBackbone, tinyConfig, writeTinyProduct } from '../../../test-support/tiny-model'
import { runTrainingPipeline } from './train-pipeline'

let dir: string
let data: string

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-pipeline-'))
  data = await writeTinyProduct(dir)
}, 60_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the training pipeline', () => {
  it('decodes every image of the data set once for features and every mask once for the review', async () => {
    const reads = new Map<string, number>()
    const off = onImageRead((p) => reads.set(p, (reads.get(p) ?? 0) + 1))
    try {
      const result = await runTrainingPipeline({ data, out: join(dir, 'model'), config: tinyConfig({ epochs: 2 }), backbone: tinyBackbone(dir), backendName: 'wasm', reviewDir: join(dir, 'review') })
      expect(result.review?.items).toHaveLength(10)
    } finally {
      off()
    }
    const ds = await readDataset(data)
    const files = [...ds.samples.map((s) => s.path), ...ds.samples.flatMap((s) => (s.maskPath ? [s.maskPath] : []))]
    expect(files).toHaveLength(12 + 10 + 6)
    // Training images (trained on or held out for calibration), test images, masks: one read each, nothing else read.
    expect(Object.fromEntries(files.map((f) => [f, reads.get(f)]))).toEqual(Object.fromEntries(files.map((f) => [f, 1])))
    expect([...reads.keys()].sort()).toEqual([...files].sort())
    // The nearest-good pool came from those same reads and is stored with the model.
    expect(existsSync(join(dir, 'model', 'good-pool.pbasw'))).toBe(true)
  })
})
