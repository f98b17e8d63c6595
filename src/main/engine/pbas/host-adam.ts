// Adam / AdamW on host arrays with torch's exact update rule (for the onnxruntime trainer).
import type { AdamOptions, AdamState } from './adam'

/** One optimiser over host parameter arrays (updated in place). */
export class HostAdam {
  step = 0
  private m: Float32Array[]
  private v: Float32Array[]

  constructor(
    readonly params: Float32Array[],
    readonly opts: AdamOptions,
  ) {
    this.m = params.map((p) => new Float32Array(p.length))
    this.v = params.map((p) => new Float32Array(p.length))
  }

  /** Applies one update from gradients in the same order as `params`. */
  apply(grads: Float32Array[]): void {
    this.step++
    const { lr, weightDecay: wd, decoupled } = this.opts
    const b1 = this.opts.beta1 ?? 0.9
    const b2 = this.opts.beta2 ?? 0.999
    const eps = this.opts.eps ?? 1e-8
    const stepSize = lr / (1 - b1 ** this.step)
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.step)
    const decay = decoupled && wd ? 1 - lr * wd : 1
    this.params.forEach((p, k) => {
      const g = grads[k]
      const m = this.m[k]
      const v = this.v[k]
      for (let i = 0; i < p.length; i++) {
        const gi = !decoupled && wd ? g[i] + wd * p[i] : g[i]
        m[i] = b1 * m[i] + (1 - b1) * gi
        v[i] = b2 * v[i] + (1 - b2) * gi * gi
        p[i] = p[i] * decay - (stepSize * m[i]) / (Math.sqrt(v[i]) / sqrtBc2 + eps)
      }
    })
  }

  state(): AdamState {
    return { step: this.step, m: this.m.map((a) => Float32Array.from(a)), v: this.v.map((a) => Float32Array.from(a)) }
  }

  load(s: AdamState): void {
    this.step = s.step
    this.m = s.m.map((a) => Float32Array.from(a))
    this.v = s.v.map((a) => Float32Array.from(a))
  }
}
