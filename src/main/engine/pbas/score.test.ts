import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend/select-backend'
import { initParams, exportParams, disposeParams } from './params'
import { discriminatorLogits, fuseHead, fusedScores, disposeHead } from './score'
import { ScoringHead } from './scoring-head'

describe('inference head', () => {
  beforeAll(async () => {
    await initBackend()
  })

  it('fusing the projector into the discriminator (BN folded) changes nothing, on tfjs and onnxruntime', async () => {
    const D = 24
    const H = 16
    const p = initParams(D, H, 3)
    // Non-trivial batch-norm statistics so folding is actually exercised.
    tf.tidy(() => {
      p.bnMean.assign(tf.randomNormal([H], 0, 0.5, 'float32', 9))
      p.bnVar.assign(tf.randomUniform([H], 0.5, 2, 'float32', 10))
      p.bnGamma.assign(tf.randomUniform([H], 0.5, 1.5, 'float32', 11))
      p.bnBeta.assign(tf.randomNormal([H], 0, 0.3, 'float32', 12))
    })
    const x = tf.randomNormal([50, D], 0, 1, 'float32', 4) as tf.Tensor2D
    const ref = tf.tidy(() => tf.sigmoid(discriminatorLogits(tf.matMul(x, p.projW).add(p.projB) as tf.Tensor2D, p)).reshape([-1]))
    const head = fuseHead(p)
    const fused = fusedScores(x, head)
    const arrays = { ...(await exportParams(p)), centre: { shape: [1, D], data: new Float32Array(D) } }
    const sh = new ScoringHead(arrays, D, 'discriminator')
    const viaOrt = await sh.score(x.dataSync() as Float32Array)
    const r = ref.dataSync()
    const f = fused.dataSync()
    for (let i = 0; i < 50; i++) {
      expect(f[i]).toBeCloseTo(r[i], 5)
      expect(viaOrt[i]).toBeCloseTo(r[i], 5)
    }
    sh.dispose()
    disposeHead(head)
    disposeParams(p)
    tf.dispose([x, ref, fused])
  })
})
