// Patch scoring from learnt weights: fused discriminator head (PBAS) or nearest-centre distance (ABL only).
import * as tf from '@tensorflow/tfjs'
import type { NamedArray } from '../util/tensor-bundle'
import type { Scoring } from './config'
import { disposeParams, importParams } from './params'
import { disposeHead, fuseHead, fusedScores, type FusedHead } from './score'
import { disposeCentre, nearestCentre, prepareCentre, type CentreTensors } from './synthesis'

/** Scores patch features [P * D] -> [P] anomaly scores; owns its tensors until dispose(). */
export class ScoringHead {
  private readonly head: FusedHead | null = null
  private readonly abl: { W: tf.Tensor2D; b: tf.Tensor1D; centre: CentreTensors; rule: 'cosine' | 'euclidean' } | null = null

  constructor(
    arrays: Record<string, NamedArray>,
    readonly dim: number,
    readonly scoring: Scoring,
    rule: 'cosine' | 'euclidean' = 'cosine',
  ) {
    const params = importParams(arrays)
    try {
      if (scoring === 'discriminator') this.head = fuseHead(params)
      else {
        const c = tf.tensor2d(arrays.centre.data, arrays.centre.shape as [number, number])
        this.abl = { W: params.projW.clone() as tf.Tensor2D, b: params.projB.clone() as tf.Tensor1D, centre: prepareCentre(c), rule }
        c.dispose()
      }
    } finally {
      disposeParams(params)
    }
  }

  /** Scores every patch of one or more images' features (rows of D values). */
  score(features: Float32Array): Float32Array {
    const n = features.length / this.dim
    const s = tf.tidy(() => {
      const x = tf.tensor2d(features, [n, this.dim])
      if (this.head) return fusedScores(x, this.head)
      const { W, b, centre, rule } = this.abl!
      const u = tf.matMul(x, W).add(b) as tf.Tensor2D
      return u.sub(tf.gather(centre.c, nearestCentre(u, centre, rule))).norm('euclidean', 1) as tf.Tensor1D
    })
    const out = s.dataSync() as Float32Array
    s.dispose()
    return out
  }

  dispose(): void {
    if (this.head) disposeHead(this.head)
    if (this.abl) {
      tf.dispose([this.abl.W, this.abl.b])
      disposeCentre(this.abl.centre)
    }
  }
}
