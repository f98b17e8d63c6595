// Real-data check (npm run test:real): the ONNX export equals the engine on MVTec bottle's 83 test images; export-model.test.ts checks the same on a generated product.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { loadOrt } from '../onnx/ort'
import { PbasModel } from '../pipeline/predict'
import { exportModel } from './export-model'
import { runExportedModel, testImages, trainSmallModel } from '../../../test-support/small-model'
import { tinyBackbone } from '../../../test-support/tiny-model'
import { HAS_SHARED } from '../../../test-support/shared'

describe.skipIf(!HAS_SHARED)('ONNX export on MVTec bottle', () => {
  let dir: string
  let trained: { model: string; data: string }
  beforeAll(async () => {
    await initBackend()
    dir = await mkdtemp(join(tmpdir(), 'pbas-export-real-'))
    trained = await trainSmallModel(dir, { source: 'bottle', size: 128, trainImages: 24, epochs: 2 })
    await exportModel({ model: trained.model, out: join(dir, 'export'), backbone: tinyBackbone(dir) })
  }, 300_000)
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it("equals the engine's predict on all 83 bottle test images to 1e-4 (score and map)", async () => {
    const paths = await testImages(trained.data)
    expect(paths).toHaveLength(83)
    const model = await PbasModel.load(trained.model, tinyBackbone(dir))
    try {
      const preds = await model.predict(paths)
      const S = model.meta.config.imageSize
      const got = await runExportedModel(loadOrt()!, join(dir, 'export'), preds.map((p) => p.image.data), S)
      preds.forEach((p, i) => expect(Math.abs(p.score - got.scores[i])).toBeLessThan(1e-4))
      expect(Math.max(...preds.map((p, i) => Math.max(...Array.from(p.map, (v, j) => Math.abs(v - got.maps[i][j])))))).toBeLessThan(1e-4)
    } finally {
      model.dispose()
    }
  })
})
