// Adam with L2 weight decay (torch.optim.Adam) and decoupled weight decay (torch.optim.AdamW), exactly as torch.
import * as tf from '@tensorflow/tfjs'

/** Optimiser hyper-parameters. */
export interface AdamOptions {
  lr: number
  weightDecay: number
  /** true: AdamW (decoupled decay); false: Adam with the decay added to the gradient */
  decoupled: boolean
  beta1?: number
  beta2?: number
  eps?: number
}

/** Serialisable optimiser state (moments per variable and the step count), for checkpoints. */
export interface AdamState {
  step: number
  m: Float32Array[]
  v: Float32Array[]
}

/** One optimiser over a fixed list of variables. */
export class Adam {
  step = 0
  private readonly m: tf.Variable[]
  private readonly v: tf.Variable[]
  private readonly b1: number
  private readonly b2: number
  private readonly eps: number

  constructor(
    readonly vars: tf.Variable[],
    readonly opts: AdamOptions,
  ) {
    this.b1 = opts.beta1 ?? 0.9
    this.b2 = opts.beta2 ?? 0.999
    this.eps = opts.eps ?? 1e-8
    // tidy frees the initial-value tensors; the variables keep their own references.
    this.m = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)))
    this.v = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)))
  }

  /** Applies one update from gradients given in the same order as `vars`. */
  apply(grads: tf.Tensor[]): void {
    this.step++
    const { lr, weightDecay: wd, decoupled } = this.opts
    const bc1 = 1 - this.b1 ** this.step
    const bc2 = 1 - this.b2 ** this.step
    tf.tidy(() => {
      this.vars.forEach((p, i) => {
        let g = grads[i]
        if (wd && !decoupled) g = g.add(p.mul(wd))
        const m = this.m[i].mul(this.b1).add(g.mul(1 - this.b1))
        const v = this.v[i].mul(this.b2).add(g.square().mul(1 - this.b2))
        this.m[i].assign(m)
        this.v[i].assign(v)
        // torch: p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps); AdamW first scales p by (1 - lr*wd).
        const base = decoupled && wd ? p.mul(1 - lr * wd) : p
        p.assign(base.sub(m.div(v.sqrt().div(Math.sqrt(bc2)).add(this.eps)).mul(lr / bc1)))
      })
    })
  }

  /** Copies the state out for a checkpoint (read asynchronously, as a GPU backend must). */
  async state(): Promise<AdamState> {
    const read = (ts: tf.Variable[]) => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array))
    return { step: this.step, m: await read(this.m), v: await read(this.v) }
  }

  /** Restores a checkpointed state. */
  load(s: AdamState): void {
    this.step = s.step
    tf.tidy(() => {
      this.m.forEach((t, i) => t.assign(tf.tensor(s.m[i], t.shape)))
      this.v.forEach((t, i) => t.assign(tf.tensor(s.v[i], t.shape)))
    })
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v])
  }
}
