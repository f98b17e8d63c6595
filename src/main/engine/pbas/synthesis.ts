// Nearest-centre matching, ABL loss L_c (Eq. 6) and anomaly feature synthesis AFS (Eq. 7).
import * as tf from '@tensorflow/tfjs'
import type { PbasConfig } from './config'
import type { MatchRule } from './config-helpers'

/** Prepared centre for fast matching: rows, and their unit-normalised transpose [D, P]. */
export interface CentreTensors {
  c: tf.Tensor2D
  /** c rows normalised to unit length, transposed so matching is a plain matMul (no transposed operand) */
  unitT: tf.Tensor2D
  /** squared row norms, for the Euclidean rule */
  sqNorm: tf.Tensor1D
  /** -2 c^T for the Euclidean rule: ||u - c||^2 = ||u||^2 + ||c||^2 - 2 u.c */
  minus2T: tf.Tensor2D
}

/** Precomputes matching tensors for a fixed centre [P, D]. */
export function prepareCentre(c: tf.Tensor2D): CentreTensors {
  return tf.tidy(() => {
    const norm = c.norm('euclidean', 1, true).maximum(1e-12)
    return {
      c: c.clone(),
      unitT: c.div(norm).transpose() as tf.Tensor2D,
      sqNorm: c.square().sum(1) as tf.Tensor1D,
      minus2T: c.transpose().mul(-2) as tf.Tensor2D,
    }
  })
}

export function disposeCentre(c: CentreTensors): void {
  tf.dispose([c.c, c.unitT, c.sqNorm, c.minus2T])
}

/** Index of the nearest centre row for each row of u: max cosine similarity, or min Euclidean distance. */
export function nearestCentre(u: tf.Tensor2D, centre: CentreTensors, rule: MatchRule): tf.Tensor1D {
  return tf.tidy(() => {
    if (rule === 'cosine') {
      // Dividing u by its norm does not change the argmax over centre rows, so only the centre is normalised.
      return tf.argMax(tf.matMul(u, centre.unitT), 1) as tf.Tensor1D
    }
    return tf.argMin(tf.matMul(u, centre.minus2T).add(centre.sqNorm), 1) as tf.Tensor1D
  })
}

/** The matched centre rows c~ [N, D] of each row of u. */
export function matchedCentre(u: tf.Tensor2D, centre: CentreTensors, rule: MatchRule): tf.Tensor2D {
  return tf.tidy(() => tf.gather(centre.c, nearestCentre(u, centre, rule)) as tf.Tensor2D)
}

/** Per-row distance d = u - c~ and its norm, with c~ the matched centre rows. */
export function offsetFromCentre(u: tf.Tensor2D, centre: CentreTensors, nearest: tf.Tensor1D): { diff: tf.Tensor2D; dist: tf.Tensor1D } {
  return tf.tidy(() => {
    const diff = u.sub(tf.gather(centre.c, nearest)) as tf.Tensor2D
    return { diff, dist: diff.norm('euclidean', 1) as tf.Tensor1D }
  })
}

/**
 * AFS (Eq. 7) as a constant offset: z = u + offset, offset = alpha * L_c * (u - c~)/||u - c~||, detached
 * as in the official code (gradients reach u through z, not through the offset). `dist` is [N] or [N, 1].
 */
export function afsOffset(diff: tf.Tensor2D, dist: tf.Tensor, lossC: number | tf.Scalar, alpha: number): tf.Tensor2D {
  return tf.tidy(() => {
    const k = typeof lossC === 'number' ? alpha * lossC : lossC.mul(alpha)
    return diff.div(dist.reshape([-1, 1]).maximum(1e-12)).mul(k) as tf.Tensor2D
  })
}

/** Ablation: SimpleNet-style Gaussian noise offset N(0, sigma^2). */
export function gaussianOffset(shape: [number, number], sigma: number, seed: number): tf.Tensor2D {
  return tf.randomNormal(shape, 0, sigma, 'float32', seed) as tf.Tensor2D
}

/**
 * The synthesis offset of a config for projected rows u with matched centre rows c~: AFS with
 * L_c = mean |u - c~| of this batch, or Gaussian noise. z = u + offset is the synthetic anomaly.
 */
export function synthesisOffset(u: tf.Tensor2D, matched: tf.Tensor2D, cfg: Pick<PbasConfig, 'synthesis' | 'alpha' | 'noiseStd'>, seed: number): tf.Tensor2D {
  if (cfg.synthesis === 'gaussian') return gaussianOffset(u.shape, cfg.noiseStd, seed)
  return tf.tidy(() => {
    const diff = u.sub(matched) as tf.Tensor2D
    const dist = tf.norm(diff, 'euclidean', 1, true)
    return afsOffset(diff, dist, dist.mean() as tf.Scalar, cfg.alpha)
  })
}
