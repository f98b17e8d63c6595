import { beforeAll, expect, it } from 'vitest'
import { initBackend } from '../backend/select-backend'
import { CentreBuilder } from '../pbas/centre'
import { createStepper, shuffledOrder, trainPbas } from './train'
import { tinyConfig } from '../../../test-support/tiny-model'

beforeAll(async () => {
  await initBackend()
})

it.each(['abl-cosine', 'abl-euclidean'])('builds the %s centre from the projection of each batch mean, as the batch mean of each image projection would (P_theta is linear; onnxruntime matches rows)', async (centreInit) => {
  const cfg = tinyConfig({ targetDim: 16, pretrainDim: 16, discHidden: 8, epochs: 1, batchSize: 3, seed: 5, centreInit })
  const P = 4
  const D = cfg.targetDim
  let s = 1
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1
  const train = Array.from({ length: 7 }, () => Float32Array.from({ length: P * D }, rand))
  const result = await trainPbas({ train, patches: P, config: cfg })

  // The definition: every image projected with the initial projector, then averaged per batch in loader order, rows
  // matched by tfjs (matchRows).
  const stepper = await createStepper(cfg, P, false)
  const builder = new CentreBuilder(P, D, cfg.centreInit, cfg.beta)
  const order = shuffledOrder(train.length, cfg.seed, -1)
  try {
    for (let b = 0; b < order.length; b += cfg.batchSize) {
      const idx = order.slice(b, b + cfg.batchSize)
      const m = new Float32Array(P * D)
      for (const i of idx) {
        const u = await stepper.project(train[i], P)
        for (let k = 0; k < P * D; k++) m[k] += u[k] / idx.length
      }
      await builder.add(m, idx.length)
    }
  } finally {
    stepper.dispose()
  }
  const expected = await builder.finish()
  const got = result.centre.data
  let worst = 0
  for (let k = 0; k < got.length; k++) worst = Math.max(worst, Math.abs(got[k] - expected.centre[k]) / (Math.abs(expected.centre[k]) + 1e-3))
  expect(worst).toBeLessThan(1e-4)
  expect(result.centreDistances.length).toBe(expected.distances.length)
})
