// Inference-time scoring: the discriminator in eval mode, and the fused projector+discriminator head.
import * as tf from '@tensorflow/tfjs'
import type { PbasParams } from './params'
import { BN_EPS, LEAKY_SLOPE } from './network'

/** P_theta: u = x projW + projB for features x [N, D] (no nonlinearity). */
export function project(x: tf.Tensor2D, p: { projW: tf.Tensor; projB: tf.Tensor }): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(x, p.projW).add(p.projB) as tf.Tensor2D)
}

/** D_psi logits in eval mode (batch norm with running statistics) for projected features u [N, D]. */
export function discriminatorLogits(u: tf.Tensor2D, p: PbasParams): tf.Tensor2D {
  return tf.tidy(() => {
    const h = tf.matMul(u, p.discW1).add(p.discB1)
    const hn = h.sub(p.bnMean).div(p.bnVar.add(BN_EPS).sqrt()).mul(p.bnGamma).add(p.bnBeta)
    return tf.matMul(tf.leakyRelu(hn, LEAKY_SLOPE), p.discW2) as tf.Tensor2D
  })
}

/**
 * Inference head with the projector fused into the discriminator's first layer (no nonlinearity between
 * them) and eval-mode batch norm folded in: logits = leaky(x W + b) w2 with W = (Wp W1) s, one D x H matMul
 * per patch instead of D x D plus D x H.
 */
export interface FusedHead {
  W: tf.Tensor2D
  b: tf.Tensor1D
  w2: tf.Tensor2D
}

export function fuseHead(p: PbasParams): FusedHead {
  return tf.tidy(() => {
    const scale = p.bnGamma.div(p.bnVar.add(BN_EPS).sqrt())
    const W = tf.matMul(p.projW, p.discW1).mul(scale) as tf.Tensor2D
    const b0 = tf.matMul(p.projB.expandDims(0), p.discW1).squeeze([0]).add(p.discB1)
    const b = b0.sub(p.bnMean).mul(scale).add(p.bnBeta) as tf.Tensor1D
    return { W, b, w2: p.discW2.clone() as tf.Tensor2D }
  })
}

/** Patch anomaly scores sigmoid(logit) for features x [N, D] through the fused head. */
export function fusedScores(x: tf.Tensor2D, head: FusedHead): tf.Tensor1D {
  return tf.tidy(() => tf.sigmoid(tf.matMul(tf.leakyRelu(tf.matMul(x, head.W).add(head.b), LEAKY_SLOPE), head.w2)).reshape([-1]) as tf.Tensor1D)
}

export function disposeHead(h: FusedHead): void {
  tf.dispose([h.W, h.b, h.w2])
}
