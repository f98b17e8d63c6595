// Validation loss on held-out good images (L_c + L_n, eval-mode batch norm): model selection without test labels.
import * as tf from '@tensorflow/tfjs'
import { matchedCentre } from './synthesis'
import { centreRule } from './config-helpers'
import type { StepContext } from './train-step'
import { discriminatorLogits } from './score'
import { asSource, type FeatureSource } from '../features/feature-source'

/** What validation needs: parameters, the fixed centre and the config. */
export type ValidationContext = Pick<StepContext, 'params' | 'centre' | 'config'>

/** Mean over held-out images of L_c + L_n; lower is better. Images are read one at a time. */
export async function validationLoss(features: readonly Float32Array[] | FeatureSource, P: number, ctx: ValidationContext): Promise<number> {
  const D = ctx.config.targetDim
  const rule = centreRule(ctx.config)
  const source = asSource(features)
  let total = 0
  for (let i = 0; i < source.length; i++) {
    const f = await source.get(i)
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(f, [P, D])
      const u = tf.matMul(x, ctx.params.projW).add(ctx.params.projB) as tf.Tensor2D
      const lossC = u.sub(matchedCentre(u, ctx.centre, rule)).norm('euclidean', 1).mean()
      const lossN = tf.softplus(discriminatorLogits(u, ctx.params)).mean()
      return lossC.add(lossN)
    })
    // Asynchronous read-back: a GPU backend (WebGPU) has no synchronous one.
    total += (await loss.data())[0]
    loss.dispose()
  }
  return total / source.length
}
