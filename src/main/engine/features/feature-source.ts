// Training features as the training loop reads them: by image index, one image or one batch at a time.

/** Features read on demand, so a data set's features need not all be in memory. */
export interface FeatureSource {
  length: number
  /** image i's features ([patches * D] values) */
  get(i: number): Promise<Float32Array>
  /** copies images `idx` into `into`, `per` values each, in order; lets a disk source read straight into a reused batch buffer */
  readBatch?(idx: readonly number[], into: Float32Array, per: number): Promise<void>
}

/** An in-memory list as a source. */
export function asSource(f: readonly Float32Array[] | FeatureSource): FeatureSource {
  return isSource(f) ? f : { length: f.length, get: async (i) => f[i] }
}

function isSource(f: readonly Float32Array[] | FeatureSource): f is FeatureSource {
  return !Array.isArray(f)
}

/**
 * Two alternating batch buffers: batch k + 1 is read into one while a step computes on the other, and no
 * 48 MB buffer is allocated (and page-faulted in) per step.
 */
export class BatchReader {
  private readonly buffers: Float32Array[]
  private turn = 0

  constructor(
    private readonly source: FeatureSource,
    private readonly per: number,
    batchSize: number,
  ) {
    this.buffers = [new Float32Array(per * batchSize), new Float32Array(per * batchSize)]
  }

  /** Reads the batch; the result stays valid until the read after next. */
  async read(idx: readonly number[]): Promise<Float32Array> {
    const buf = this.buffers[this.turn]
    this.turn ^= 1
    const out = buf.subarray(0, idx.length * this.per)
    if (this.source.readBatch) await this.source.readBatch(idx, out, this.per)
    else
      for (let k = 0; k < idx.length; k++) {
        const f = await this.source.get(idx[k])
        if (f.length !== this.per) throw new Error(`training features of image ${idx[k]} hold ${f.length} values, expected ${this.per}`)
        out.set(f, k * this.per)
      }
    return out
  }
}
