// Backbone + E_phi on preprocessed images: the frozen part of PBAS, from pixels to patch vectors.
import * as tf from '@tensorflow/tfjs'
import { concatInputs } from '../image/preprocess'
import type { Backbone } from '../backbone/backbone'
import { DEFAULT_EMBED, PatchEmbedder, type EmbedConfig, type HostMap } from './patch-embedder'

/** Which taps and embedding sizes to use; taps default to the backbone's own defaults. */
export interface ExtractorOptions {
  taps?: readonly string[]
  embed?: EmbedConfig
}

/** Reads a tensor back to host memory and disposes it. */
export async function toHostMap(t: tf.Tensor4D): Promise<HostMap> {
  const data = (await t.data()) as Float32Array
  const shape = t.shape as [number, number, number, number]
  t.dispose()
  return { data, shape }
}

/** Frozen feature extractor E_phi. Owns its embedder; the backbone stays the caller's. */
export class FeatureExtractor {
  readonly taps: readonly string[]
  readonly embed: EmbedConfig
  private readonly embedder: PatchEmbedder

  constructor(
    readonly backbone: Backbone,
    opts: ExtractorOptions = {},
  ) {
    this.taps = opts.taps ?? backbone.defaultTaps
    this.embed = opts.embed ?? DEFAULT_EMBED
    const strides = this.taps.map((t) => backbone.strides[t])
    if (strides.some((s, i) => i > 0 && s < strides[0])) throw new Error('the first tap must be the finest (it sets the patch grid)')
    this.embedder = new PatchEmbedder(
      this.taps.map((t) => backbone.channels[t]),
      this.embed,
    )
  }

  /** Patch grid side for a square input of `size` pixels. */
  gridSize(size: number): number {
    return Math.ceil(size / this.backbone.strides[this.taps[0]])
  }

  /** Feature vector length D. */
  get dim(): number {
    return this.embed.targetDim
  }

  /**
   * Embeds HWC float inputs of one size (as produced by loadImage; an entry may hold several inputs back to back,
   * a tiled photo's tiles), on the backbone's fastest runtime: [inputs * grid^2 * D], rows input-major then row-major.
   */
  async extractImages(images: readonly Float32Array[], size: number): Promise<Float32Array> {
    const per = size * size * 3
    const batch = concatInputs(images)
    if (batch.length % per) throw new Error(`inputs of ${batch.length} values are not whole ${size} x ${size} RGB images`)
    const maps = await this.backbone.forwardHost({ data: batch, shape: [batch.length / per, size, size, 3] }, this.taps)
    return this.embedder.embed(maps)
  }
}
