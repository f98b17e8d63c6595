// A feature source reduced to the patches a region inspects: what training and calibration see when areas are ignored.
import type { FeatureSource } from './feature-source'

/**
 * The rows `kept` (patch indices) of every image of `source` ([P * D] each), so each image reads as
 * [kept.length * D]: the training loop, the centre and the held-out scores never see an ignored patch.
 */
export class KeptPatches implements FeatureSource {
  private scratch = new Float32Array(0)

  constructor(
    private readonly source: FeatureSource,
    private readonly kept: Int32Array,
    private readonly P: number,
    private readonly D: number,
  ) {}

  get length(): number {
    return this.source.length
  }

  async get(i: number): Promise<Float32Array> {
    return this.gather(await this.source.get(i), 0, new Float32Array(this.kept.length * this.D), 0)
  }

  async readBatch(idx: readonly number[], into: Float32Array, per: number): Promise<void> {
    const { P, D } = this
    if (per !== this.kept.length * D) throw new Error(`batch of ${per} values per image requested from ${this.kept.length} kept patches of ${D} values`)
    // Batches are read in turn (BatchReader alternates two buffers), so one scratch buffer per source suffices only
    // when reads do not overlap: each read gets its own when one is in flight.
    const full = this.scratch.length >= idx.length * P * D ? this.scratch : new Float32Array(idx.length * P * D)
    this.scratch = new Float32Array(0)
    try {
      if (this.source.readBatch) await this.source.readBatch(idx, full.subarray(0, idx.length * P * D), P * D)
      else for (let k = 0; k < idx.length; k++) full.set(await this.source.get(idx[k]), k * P * D)
      for (let k = 0; k < idx.length; k++) this.gather(full, k * P * D, into, k * per)
    } finally {
      this.scratch = full
    }
  }

  private gather(src: Float32Array, at: number, out: Float32Array, to: number): Float32Array {
    const { D, kept } = this
    for (let k = 0; k < kept.length; k++) out.set(src.subarray(at + kept[k] * D, at + (kept[k] + 1) * D), to + k * D)
    return out
  }
}
