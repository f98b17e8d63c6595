import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend/select-backend'
import { linear, linearConstInput } from './linear'
import { trainStep, type StepContext } from './train-step'
import { initParams, projectorVars, discriminatorVars, disposeParams } from './params'
import { prepareCentre, disposeCentre } from './synthesis'
import { Adam } from './adam'
import { resolveConfig } from './config'
import { PARAM_NAMES, type PbasParams } from './params'
import { readReference } from '../../../test-support/shared'

/** The training state the engine's tfjs stepper builds: Adam (L2 decay) for the projector, AdamW for the discriminator. */
function stepContext(params: PbasParams, centre: tf.Tensor2D, cfg: ReturnType<typeof resolveConfig>): StepContext {
  return {
    params,
    centre: prepareCentre(centre),
    optProjector: new Adam(projectorVars(params), { lr: cfg.lrProjector, weightDecay: cfg.weightDecayProjector, decoupled: false }),
    optDiscriminator: new Adam(discriminatorVars(params), { lr: cfg.lrDiscriminator, weightDecay: cfg.weightDecayDiscriminator, decoupled: true }),
    config: cfg,
  }
}

const close = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0])

describe('PBAS training step', () => {
  beforeAll(async () => {
    await initBackend()
  })

  it('explicit-transpose linear layers have the same gradients as autodiff', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([6, 5], 0, 1, 'float32', 1) as tf.Tensor2D
      const W = tf.variable(tf.randomNormal([5, 3], 0, 1, 'float32', 2))
      const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', 3))
      const target = tf.randomNormal([6, 3], 0, 1, 'float32', 4)
      const loss = (y: tf.Tensor) => y.sub(target).square().sum() as tf.Scalar
      const ref = tf.variableGrads(() => loss(tf.matMul(x, W).add(b)), [W, b])
      const mine = tf.variableGrads(() => loss(linearConstInput(x, W, b)), [W, b])
      expect(close(ref.grads[W.name], mine.grads[W.name])).toBeLessThan(1e-4)
      expect(close(ref.grads[b.name], mine.grads[b.name])).toBeLessThan(1e-4)
      const gx = tf.grad((xx: tf.Tensor) => loss(tf.matMul(xx as tf.Tensor2D, W).add(b)))(x)
      const gx2 = tf.grad((xx: tf.Tensor) => loss(linear(xx as tf.Tensor2D, W, b)))(x)
      expect(close(gx, gx2)).toBeLessThan(1e-4)
      W.dispose()
      b.dispose()
    })
  })

  it('learns to separate synthetic from normal features, and leaks no tensors across 20 steps', async () => {
    const D = 16
    const P = 4
    const cfg = resolveConfig({ targetDim: D, pretrainDim: D, discHidden: 8, lrProjector: 1e-3, lrDiscriminator: 1e-2 })
    const params = initParams(D, 8, 0)
    const x = tf.randomNormal([8 * P, D], 0, 1, 'float32', 7) as tf.Tensor2D
    const c0 = tf.tidy(() => tf.matMul(x.slice([0, 0], [P, D]), params.projW).add(params.projB)) as tf.Tensor2D
    const ctx = stepContext(params, c0, cfg)
    const first = await trainStep(x, ctx, 1)
    const count = tf.memory().numTensors
    let last = first
    for (let i = 0; i < 20; i++) last = await trainStep(x, ctx, 2 + i)
    expect(tf.memory().numTensors).toBe(count)
    expect(last.lossN + last.lossA).toBeLessThan(first.lossN + first.lossA)
    expect(last.pTrue).toBeGreaterThan(0.5)
    expect(last.distNormalSynthetic).toBeCloseTo(cfg.alpha * last.lossC, 1)
    expect(Number.isFinite(last.lossC)).toBe(true)
    ctx.optProjector.dispose()
    ctx.optDiscriminator.dispose()
    disposeCentre(ctx.centre)
    disposeParams(params)
    tf.dispose([x, c0])
  })

  it('reproduces three PyTorch training steps (train-step.json): losses, parameters after Adam / AdamW, BatchNorm running statistics', async () => {
    type A = { shape: number[]; data: number[] }
    const fx = readReference<{ config: Record<string, unknown>; xs: A[]; centre: A; initial: Record<string, A>; losses: { lossC: number; lossN: number; lossA: number }[]; final: Record<string, A> }>('train-step.json')
    const cfg = resolveConfig(fx.config)
    const trainable = new Set(['bnMean', 'bnVar'])
    const params = Object.fromEntries(PARAM_NAMES.map((k) => [k, tf.variable(tf.tensor(fx.initial[k].data, fx.initial[k].shape), !trainable.has(k))])) as unknown as PbasParams
    const centre = tf.tensor2d(fx.centre.data, fx.centre.shape as [number, number])
    const ctx = stepContext(params, centre, cfg)
    for (const [i, xa] of fx.xs.entries()) {
      const x = tf.tensor2d(xa.data, xa.shape as [number, number])
      const s = await trainStep(x, ctx, i)
      for (const k of ['lossC', 'lossN', 'lossA'] as const) expect(Math.abs(s[k] - fx.losses[i][k]), `step ${i} ${k}`).toBeLessThan(1e-5)
      x.dispose()
    }
    for (const k of PARAM_NAMES) {
      const got = params[k].dataSync()
      const want = fx.final[k].data
      const err = want.reduce((m, v, j) => Math.max(m, Math.abs(got[j] - v)), 0)
      // BatchNorm follows discB1, so its gradient is zero up to rounding, and Adam turns rounding noise into steps of
      // up to lr: in both frameworks it only drifts (by at most lr per step and side), and the running mean, a 0.1-weighted
      // average of batch means that contain it, inherits a tenth of that drift. Nothing else depends on it.
      const steps = fx.xs.length
      const drift = 2 * cfg.lrDiscriminator
      const tolerance = k === 'discB1' ? drift * steps : k === 'bnMean' ? 0.1 * drift * ((steps * (steps - 1)) / 2) : 1e-5
      expect(err, k).toBeLessThan(tolerance)
      // Not vacuous: every trained tensor moved from its initial value.
      expect(want.some((v, j) => Math.abs(v - fx.initial[k].data[j]) > 1e-4), `${k} moved`).toBe(true)
    }
    ctx.optProjector.dispose()
    ctx.optDiscriminator.dispose()
    disposeCentre(ctx.centre)
    disposeParams(params)
    centre.dispose()
  })
})
