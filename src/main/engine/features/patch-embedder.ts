// E_phi: turns backbone feature maps into one D-dimensional vector per patch (paper Eq. 1-4).
import * as tf from '@tensorflow/tfjs'
import { composePoolingMaps, type LevelMap } from './pooling-map'

/** Patch-embedding settings (the paper's defaults: 3, 1536, 1536). */
export interface EmbedConfig {
  patchSize: number
  pretrainDim: number
  targetDim: number
}

export const DEFAULT_EMBED: EmbedConfig = { patchSize: 3, pretrainDim: 1536, targetDim: 1536 }

/**
 * Unfolds p x p neighbourhoods (zero padding, stride 1) of an NHWC map into [B*H*W, C*p*p] rows whose
 * columns are channel-major (c, dy, dx), as torch.nn.Unfold orders them.
 */
export function unfoldPatches(x: tf.Tensor4D, p: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, H, W, C] = x.shape
    const r = (p - 1) / 2
    const padded = tf.pad(x, [[0, 0], [r, r], [r, r], [0, 0]])
    const slices: tf.Tensor4D[] = []
    for (let dy = 0; dy < p; dy++) for (let dx = 0; dx < p; dx++) slices.push(tf.slice(padded, [0, dy, dx, 0], [B, H, W, C]))
    return tf.stack(slices, 4).reshape([B * H * W, C * p * p]) as tf.Tensor2D
  })
}

/**
 * The PBAS feature extractor head. Level 0 sets the patch grid; deeper levels are embedded on their own
 * grid and then resized bilinearly (align_corners=false). Resizing after the channel pooling equals the
 * reference order (resize each patch element, then pool) because both steps are linear.
 */
export class PatchEmbedder {
  private readonly maps: { map: LevelMap; index: tf.Tensor1D; weight: tf.Tensor2D }[]

  constructor(
    readonly levelChannels: readonly number[],
    readonly config: EmbedConfig = DEFAULT_EMBED,
  ) {
    const pp = config.patchSize * config.patchSize
    const maps = composePoolingMaps(levelChannels.map((c) => c * pp), config.pretrainDim, config.targetDim)
    this.maps = maps.map((map) => ({
      map,
      index: tf.tensor1d(map.index, 'int32'),
      weight: tf.tensor2d(map.weight, [map.count, map.k]),
    }))
  }

  /** levels: NHWC maps, first one on the finest grid. Returns [B*H0*W0, targetDim], rows image-major, row-major. */
  embed(levels: readonly tf.Tensor4D[]): tf.Tensor2D {
    if (levels.length !== this.maps.length) throw new Error(`expected ${this.maps.length} feature levels, got ${levels.length}`)
    return tf.tidy(() => {
      const [B, H, W] = levels[0].shape
      const D = this.config.targetDim
      let out: tf.Tensor2D | null = null
      levels.forEach((x, l) => {
        const { map, index, weight } = this.maps[l]
        const [b, h, w, c] = x.shape
        if (b !== B || c !== this.levelChannels[l]) throw new Error(`level ${l} has shape [${x.shape}], expected batch ${B} and ${this.levelChannels[l]} channels`)
        const rows = unfoldPatches(x, this.config.patchSize)
        let y = tf.gather(rows, index, 1).reshape([b * h * w, map.count, map.k]).mul(weight).sum(2) as tf.Tensor2D
        if (h !== H || w !== W) {
          const img = y.reshape([b, h, w, map.count]) as tf.Tensor4D
          y = tf.image.resizeBilinear(img, [H, W], false, true).reshape([B * H * W, map.count])
        }
        const placed = tf.pad(y, [[0, 0], [map.first, D - map.first - map.count]]) as tf.Tensor2D
        out = out ? (out.add(placed) as tf.Tensor2D) : placed
      })
      return out!
    })
  }

  dispose(): void {
    for (const m of this.maps) {
      m.index.dispose()
      m.weight.dispose()
    }
  }
}
