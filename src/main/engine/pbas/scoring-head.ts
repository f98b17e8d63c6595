// Patch scoring from learnt weights: fused discriminator head (PBAS) or nearest-centre distance (ABL only).
import * as tf from '@tensorflow/tfjs'
import type { InferenceSession } from 'onnxruntime-node'
import type { NamedArray } from '../util/tensor-bundle'
import { OnnxGraph } from '../onnx/graph'
import { createSession, loadOrt } from '../onnx/ort'
import { computeOrt } from '../backend/select-backend'
import type { Scoring } from './config'
import { disposeParams, importParams } from './params'
import { disposeHead, fuseHead, fusedScores, type FusedHead } from './score'
import { disposeCentre, matchedCentre, prepareCentre, type CentreTensors } from './synthesis'
import type { MatchRule } from './config-helpers'

/** The fused head as an ONNX graph: sigmoid(leaky(x W + b) w2). */
function headToOnnx(W: Float32Array, b: Float32Array, w2: Float32Array, D: number, H: number): Uint8Array {
  const g = new OnnxGraph()
  const x = g.input('x', ['n', D])
  const h = g.node('LeakyRelu', [g.node('Add', [g.node('MatMul', [x, g.init(W, [D, H])]), g.init(b, [H])])], { alpha: { float: 0.2 } })
  g.node('Sigmoid', [g.node('MatMul', [h, g.init(w2, [H, 1])])], {}, 'y')
  g.output('y', ['n', 1])
  return g.encode()
}

/** Scores patch features [P * D] -> [P] anomaly scores; owns its tensors until dispose(). */
export class ScoringHead {
  private readonly head: FusedHead | null = null
  private session: Promise<InferenceSession> | null = null
  private readonly abl: { W: tf.Tensor2D; b: tf.Tensor1D; centre: CentreTensors; rule: MatchRule } | null = null

  constructor(
    arrays: Record<string, NamedArray>,
    readonly dim: number,
    readonly scoring: Scoring,
    rule: MatchRule = 'cosine',
  ) {
    const params = importParams(arrays)
    try {
      if (scoring === 'discriminator') {
        this.head = fuseHead(params)
        const ort = computeOrt()
        if (ort) {
          const H = this.head.b.shape[0]
          this.session = createSession(ort, headToOnnx(this.head.W.dataSync() as Float32Array, this.head.b.dataSync() as Float32Array, this.head.w2.dataSync() as Float32Array, dim, H))
        }
      } else {
        const c = tf.tensor2d(arrays.centre.data, arrays.centre.shape as [number, number])
        this.abl = { W: params.projW.clone() as tf.Tensor2D, b: params.projB.clone() as tf.Tensor1D, centre: prepareCentre(c), rule }
        c.dispose()
      }
    } finally {
      disposeParams(params)
    }
  }

  /** Host copies of the fused head (discriminator scoring only), for whole-model fusion; read asynchronously, as a GPU backend must. */
  async headWeights(): Promise<{ W: Float32Array; b: Float32Array; w2: Float32Array; D: number; H: number } | null> {
    if (!this.head) return null
    const [D, H] = this.head.W.shape
    const [W, b, w2] = (await Promise.all([this.head.W.data(), this.head.b.data(), this.head.w2.data()])) as Float32Array[]
    return { W, b, w2, D, H }
  }

  /** Scores every patch of one or more images' features (rows of D values). */
  async score(features: Float32Array): Promise<Float32Array> {
    const n = features.length / this.dim
    if (this.session) {
      const ort = loadOrt()!
      const res = await (await this.session).run({ x: new ort.Tensor('float32', features, [n, this.dim]) })
      return res.y.data as Float32Array
    }
    const s = tf.tidy(() => {
      const x = tf.tensor2d(features, [n, this.dim])
      if (this.head) return fusedScores(x, this.head)
      const { W, b, centre, rule } = this.abl!
      const u = tf.matMul(x, W).add(b) as tf.Tensor2D
      return u.sub(matchedCentre(u, centre, rule)).norm('euclidean', 1) as tf.Tensor1D
    })
    try {
      return (await s.data()) as Float32Array
    } finally {
      s.dispose()
    }
  }

  dispose(): void {
    if (this.session) void this.session.then((s) => s.release())
    if (this.head) disposeHead(this.head)
    if (this.abl) {
      tf.dispose([this.abl.W, this.abl.b])
      disposeCentre(this.abl.centre)
    }
  }
}
