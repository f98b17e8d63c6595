// Validation loss on held-out good images (L_c + L_n, eval-mode batch norm): model selection without test labels.
import * as tf from '@tensorflow/tfjs'
import { matchedCentre } from './synthesis'
import { centreRule } from './config-helpers'
import type { StepContext } from './train-step'

/** What validation needs: parameters, the fixed centre and the config. */
export type ValidationContext = Pick<StepContext, 'params' | 'centre' | 'config'>
import { discriminatorLogits } from './score'

/** Mean over held-out images of L_c + L_n; lower is better. */
export function validationLoss(features: Float32Array[], P: number, ctx: ValidationContext): number {
  const D = ctx.config.targetDim
  const rule = centreRule(ctx.config)
  let total = 0
  for (const f of features) {
    total += tf.tidy(() => {
      const x = tf.tensor2d(f, [P, D])
      const u = tf.matMul(x, ctx.params.projW).add(ctx.params.projB) as tf.Tensor2D
      const lossC = u.sub(matchedCentre(u, ctx.centre, rule)).norm('euclidean', 1).mean()
      const lossN = tf.softplus(discriminatorLogits(u, ctx.params)).mean()
      return lossC.add(lossN).dataSync()[0]
    })
  }
  return total / features.length
}
