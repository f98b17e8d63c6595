// One PBAS training step (Eq. 10): L_c + L_n + L_a, one backward pass through projector and discriminator.
import * as tf from '@tensorflow/tfjs'
import type { PbasConfig } from './config'
import { linear, linearConstInput } from './linear'
import { discriminatorVars, projectorVars, type PbasParams } from './params'
import { matchedCentre, synthesisOffset, type CentreTensors } from './synthesis'
import { centreRule, type MatchRule } from './config-helpers'
import type { Adam } from './adam'

const BN_EPS = 1e-5
const BN_MOMENTUM = 0.1

export type { StepStats } from '../../../shared/models/progress'
import type { StepStats } from '../../../shared/models/progress'

/**
 * Matched centre rows c~ for each row of u, as a constant: the matching (a P-wide similarity matMul)
 * stays off the gradient tape, which would otherwise back-propagate zeros through it at full cost.
 */
function detachedMatch(u: tf.Tensor2D, centre: CentreTensors, rule: MatchRule): tf.Tensor2D {
  const f = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({
    value: matchedCentre(x as tf.Tensor2D, centre, rule),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
  }))
  return f(u) as tf.Tensor2D
}

/** The synthesis offset (AFS, Eq. 7, or Gaussian noise), detached from the tape. */
function detachedOffset(u: tf.Tensor2D, matched: tf.Tensor2D, cfg: PbasConfig, seed: number): tf.Tensor2D {
  const f = tf.customGrad((xa: tf.Tensor | tf.GradSaveFunc, ca: tf.Tensor | tf.GradSaveFunc) => ({
    value: synthesisOffset(xa as tf.Tensor2D, ca as tf.Tensor2D, cfg, seed),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.zerosLike(dy as tf.Tensor), tf.zerosLike(dy as tf.Tensor)],
  }))
  return f(u, matched) as tf.Tensor2D
}

/** Mutable training state shared by steps. */
export interface StepContext {
  params: PbasParams
  centre: CentreTensors
  optProjector: Adam
  optDiscriminator: Adam
  config: PbasConfig
}

/** Runs one step on a batch of patch features x [N, D]; updates parameters and BN running statistics. */
export async function trainStep(x: tf.Tensor2D, ctx: StepContext, seed: number): Promise<StepStats> {
  const { params: p, config: cfg } = ctx
  const rule = centreRule(cfg)
  const kept: Record<string, tf.Tensor> = {}
  const vars = [...projectorVars(p), ...discriminatorVars(p)]
  const { value, grads } = tf.variableGrads(() => {
    const u = linearConstInput(x, p.projW, p.projB)
    const matched = detachedMatch(u, ctx.centre, rule)
    const diff = u.sub(matched) as tf.Tensor2D
    // sqrt(|d|^2 + tiny): the same value in float32, but a finite gradient when u sits exactly on its centre.
    const dist = diff.square().sum(1).add(1e-12).sqrt()
    const lossC = dist.mean()
    const offset = detachedOffset(u, matched, cfg, seed)
    const z = u.add(offset) as tf.Tensor2D
    // One discriminator pass over normal and synthetic rows together: BN statistics come from both.
    const h = linear(tf.concat([u, z], 0), p.discW1, p.discB1)
    const { mean, variance } = tf.moments(h, 0)
    const hn = h.sub(mean).div(variance.add(BN_EPS).sqrt()).mul(p.bnGamma).add(p.bnBeta)
    const logits = linear(tf.leakyRelu(hn, 0.2) as tf.Tensor2D, p.discW2, null)
    const [lu, lz] = tf.split(logits, 2, 0)
    // BCE(sigmoid(l), 0) = softplus(l); BCE(sigmoid(l), 1) = softplus(-l): the stable logit form.
    const lossN = tf.softplus(lu).mean()
    const lossA = tf.softplus(lz.neg()).mean()
    const synth = tf.norm(diff.add(offset), 'euclidean', 1).mean()
    const ns = offset.norm('euclidean', 1).mean()
    for (const [k, t] of Object.entries({ lossC, lossN, lossA, lu, lz, mean, variance, synth, ns })) kept[k] = tf.keep(t)
    return lossC.add(lossN).add(lossA) as tf.Scalar
  }, vars)
  const gradList = vars.map((v) => grads[v.name])
  ctx.optProjector.apply(gradList.slice(0, 2))
  ctx.optDiscriminator.apply(gradList.slice(2))
  const n = (kept.lu.shape[0] as number) * 2
  tf.tidy(() => {
    p.bnMean.assign(p.bnMean.mul(1 - BN_MOMENTUM).add(kept.mean.mul(BN_MOMENTUM)))
    // Running variance uses the unbiased estimate, as torch.nn.BatchNorm1d does.
    p.bnVar.assign(p.bnVar.mul(1 - BN_MOMENTUM).add(kept.variance.mul((BN_MOMENTUM * n) / (n - 1))))
  })
  const scalars = tf.tidy(() =>
    tf.stack([kept.lossC, kept.lossN, kept.lossA, kept.lu.less(0).cast('float32').mean(), kept.lz.greaterEqual(0).cast('float32').mean(), kept.synth, kept.ns]),
  )
  tf.dispose([value, ...Object.values(kept), ...Object.values(grads)])
  // The only read-back of the step, asynchronous: a GPU backend (WebGPU) has no synchronous one.
  const [lossC, lossN, lossA, pTrue, pFake, distSynthetic, distNormalSynthetic] = Array.from(await scalars.data())
  scalars.dispose()
  return { lossC, lossN, lossA, pTrue, pFake, distNormal: lossC, distSynthetic, distNormalSynthetic }
}
