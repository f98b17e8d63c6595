// Stepper on TensorFlow.js: automatic differentiation of train-step.ts (any tfjs backend, GPU included).
import * as tf from '@tensorflow/tfjs'
import type { NamedArray } from '../util/tensor-bundle'
import type { PbasConfig } from './config'
import { Adam } from './adam'
import { assignParams, discriminatorVars, disposeParams, exportParams, initParams, projectorVars } from './params'
import { disposeCentre, prepareCentre, type CentreTensors } from './synthesis'
import { trainStep } from './train-step'
import { validationLoss } from './validate'
import type { Stepper } from './stepper'

/** Creates a tfjs stepper with fresh parameters for the config's seed. */
export function createTfjsStepper(cfg: PbasConfig, P: number): Stepper {
  const D = cfg.targetDim
  const params = initParams(D, cfg.discHidden, cfg.seed)
  const optProjector = new Adam(projectorVars(params), { lr: cfg.lrProjector, weightDecay: cfg.weightDecayProjector, decoupled: false })
  const optDiscriminator = new Adam(discriminatorVars(params), { lr: cfg.lrDiscriminator, weightDecay: cfg.weightDecayDiscriminator, decoupled: true })
  let centre: CentreTensors | null = null
  const ctx = () => ({ params, centre: centre!, optProjector, optDiscriminator, config: cfg })
  return {
    runtime: 'tfjs',
    async step(x, rows, seed) {
      const t = tf.tensor2d(x, [rows, D])
      try {
        return await trainStep(t, ctx(), seed)
      } finally {
        t.dispose()
      }
    },
    async project(x, rows) {
      const u = tf.tidy(() => tf.matMul(tf.tensor2d(x, [rows, D]), params.projW).add(params.projB))
      const out = (await u.data()) as Float32Array
      u.dispose()
      return out
    },
    setCentre(c) {
      if (centre) disposeCentre(centre)
      const t = tf.tensor2d(c, [P, D])
      centre = prepareCentre(t)
      t.dispose()
    },
    async validationLoss(features) {
      return validationLoss(features, P, ctx())
    },
    exportParams: () => exportParams(params),
    loadParams: (a: Record<string, NamedArray>) => assignParams(params, a),
    optimizerStates: async () => ({ projector: await optProjector.state(), discriminator: await optDiscriminator.state() }),
    loadOptimizerStates(s) {
      optProjector.load(s.projector)
      optDiscriminator.load(s.discriminator)
    },
    dispose() {
      if (centre) disposeCentre(centre)
      optProjector.dispose()
      optDiscriminator.dispose()
      disposeParams(params)
    },
  }
}
