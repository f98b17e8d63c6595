import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend/select-backend'
import { loadOrt } from '../onnx/ort'
import { resolveConfig } from './config'
import { createTfjsStepper } from './tfjs-stepper'
import { createOrtStepper } from './ort-stepper'
import { mulberry32 } from '../util/random'

function randn(n: number, seed: number): Float32Array {
  const r = mulberry32(seed)
  return Float32Array.from({ length: n }, () => (r() + r() + r() - 1.5) * 1.5)
}

describe('onnxruntime step graph', () => {
  beforeAll(async () => {
    await initBackend()
  })

  for (const [rule, synthesis] of [['abl-cosine', 'afs'], ['abl-euclidean', 'afs']] as const) {
    it(`matches tfjs autodiff step for step (${rule}, ${synthesis})`, async () => {
      const D = 12
      const H = 8
      const P = 5
      const cfg = resolveConfig({ targetDim: D, pretrainDim: D, discHidden: H, centreInit: rule, synthesis, lrProjector: 1e-2, lrDiscriminator: 1e-2 })
      const a = createTfjsStepper(cfg, P)
      const b = await createOrtStepper(loadOrt()!, cfg, P)
      const centre = randn(P * D, 1)
      a.setCentre(centre)
      b.setCentre(centre)
      const before = tf.memory().numTensors
      for (let s = 0; s < 3; s++) {
        const x = randn(4 * P * D, 10 + s)
        const sa = await a.step(x, 4 * P, s)
        const sb = await b.step(x, 4 * P, s)
        for (const k of Object.keys(sa) as (keyof typeof sa)[]) expect(sb[k], `${k} at step ${s}`).toBeCloseTo(sa[k], 4)
      }
      const pa = await a.exportParams()
      const pb = await b.exportParams()
      for (const k of Object.keys(pa)) {
        let err = 0
        pa[k].data.forEach((v, i) => (err = Math.max(err, Math.abs(v - pb[k].data[i]))))
        // The bias before batch norm has an exactly-zero gradient; Adam turns each side's rounding noise
        // into steps of about lr in either direction, so the two may drift apart by up to 2 x 3 steps x lr
        // (and the running mean, which absorbs the bias, by a tenth of that per step).
        expect(err, k).toBeLessThan(k === 'discB1' ? 7e-2 : k === 'bnMean' ? 1e-2 : 1e-4)
      }
      const fa = [randn(P * D, 99)]
      expect(Math.abs((await b.validationLoss(fa)) - (await a.validationLoss(fa)))).toBeLessThan(1e-2)
      expect(tf.memory().numTensors).toBe(before)
      a.dispose()
      b.dispose()
    })
  }
})
