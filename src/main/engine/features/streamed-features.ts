// Training features streamed from a disk cache per batch, with damaged entries re-extracted on the spot.
import type { DiskFeatureCache, ReadStatus } from './feature-cache'
import type { FeatureSource } from './feature-source'

/** Rebuilds one image's features (re-extracts them from its image file). */
export type RebuildFeatures = (i: number) => Promise<Float32Array>

/**
 * The entries `keys` of a disk cache as a feature source. An entry that is missing or fails its checksum
 * is rebuilt with `rebuild`, written back, and reported through `onRebuilt`; training goes on.
 */
export class StreamedFeatures implements FeatureSource {
  constructor(
    private readonly cache: DiskFeatureCache,
    private readonly keys: readonly string[],
    private readonly per: number,
    private readonly rebuild: RebuildFeatures,
    private readonly onRebuilt?: (i: number, file: string, found: Exclude<ReadStatus, 'ok'>) => void,
  ) {}

  get length(): number {
    return this.keys.length
  }

  async get(i: number): Promise<Float32Array> {
    const out = new Float32Array(this.per)
    await this.readOne(i, out, 0)
    return out
  }

  async readBatch(idx: readonly number[], into: Float32Array, per: number): Promise<void> {
    if (per !== this.per) throw new Error(`batch of ${per} values per image requested from a cache of ${this.per}`)
    await Promise.all(idx.map((i, k) => this.readOne(i, into, k * per)))
  }

  private async readOne(i: number, into: Float32Array, at: number): Promise<void> {
    const status = await this.cache.readInto(this.keys[i], into, at, this.per)
    if (status === 'ok') return
    const f = await this.rebuild(i)
    if (f.length !== this.per) throw new Error(`re-extracted features of image ${i} hold ${f.length} values, expected ${this.per}`)
    await this.cache.set(this.keys[i], f)
    into.set(f, at)
    this.onRebuilt?.(i, this.cache.file(this.keys[i]), status)
  }
}
