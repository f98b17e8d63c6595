// A seeded random subset of each image's patch rows for one training step (patchShare < 1).
import { mulberry32 } from '../util/random'

/** Picks `keep` of the P patch rows of every image in a batch, anew each step, into one reused buffer. */
export class PatchSampler {
  /** rows kept per image */
  readonly keep: number
  private readonly out: Float32Array
  private readonly perm: Int32Array

  constructor(
    private readonly P: number,
    private readonly D: number,
    share: number,
    batchSize: number,
    private readonly seed: number,
  ) {
    this.keep = Math.max(1, Math.min(P, Math.round(P * share)))
    this.out = new Float32Array(batchSize * this.keep * D)
    this.perm = new Int32Array(P)
  }

  /**
   * The kept rows of `images` images ([images * P, D] in, [images * keep, D] out), in patch order. Seeded by
   * the run's seed and the step, on its own stream, so the step's own random numbers do not change. The result
   * is valid until the next call.
   */
  sample(x: Float32Array, images: number, step: number): Float32Array {
    const { P, D, keep, perm } = this
    const rand = mulberry32(this.seed * 15485863 + step * 31 + 5)
    for (let i = 0; i < images; i++) {
      // Partial Fisher-Yates: the first `keep` entries are a uniform subset; sorted so reads go forward.
      for (let k = 0; k < P; k++) perm[k] = k
      for (let k = 0; k < keep; k++) {
        const j = k + Math.floor(rand() * (P - k))
        const t = perm[k]
        perm[k] = perm[j]
        perm[j] = t
      }
      const chosen = perm.subarray(0, keep).sort()
      for (let k = 0; k < keep; k++) this.out.set(x.subarray((i * P + chosen[k]) * D, (i * P + chosen[k] + 1) * D), (i * keep + k) * D)
    }
    return this.out.subarray(0, images * keep * D)
  }
}
