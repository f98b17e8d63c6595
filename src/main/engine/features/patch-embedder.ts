// E_phi: turns backbone feature maps into one D-dimensional vector per patch (paper Eq. 1-4).
import { composePoolingMaps, type LevelMap } from './pooling-map'
import { resizeAddInto } from '../util/bilinear'

/** Patch-embedding settings (the paper's defaults: 3, 1536, 1536). */
export interface EmbedConfig {
  patchSize: number
  pretrainDim: number
  targetDim: number
}

export const DEFAULT_EMBED: EmbedConfig = { patchSize: 3, pretrainDim: 1536, targetDim: 1536 }

/** A feature map in host memory, NHWC. */
export interface HostMap {
  data: Float32Array
  shape: [number, number, number, number]
}

/** Per-level map entries split into channel and neighbourhood offset, for direct indexing. */
interface LevelTerms {
  map: LevelMap
  channel: Int32Array
  dy: Int32Array
  dx: Int32Array
}

/**
 * The PBAS feature extractor head. Level 0 sets the patch grid; deeper levels are embedded on their own
 * grid and then resized bilinearly (align_corners=false). Resizing after the channel pooling equals the
 * reference order (resize each patch element, then pool) because both steps are linear. The two poolings
 * are composed into a few weighted taps per output, so no C*p*p unfold is ever materialised; this runs on
 * host arrays because the op is sparse gather work that tfjs' wasm kernels do ~10x slower.
 */
export class PatchEmbedder {
  private readonly levels: LevelTerms[]

  constructor(
    readonly levelChannels: readonly number[],
    readonly config: EmbedConfig = DEFAULT_EMBED,
  ) {
    const p = config.patchSize
    if (p % 2 !== 1) throw new Error(`patch size must be odd, got ${p}`)
    const maps = composePoolingMaps(levelChannels.map((c) => c * p * p), config.pretrainDim, config.targetDim)
    this.levels = maps.map((map) => {
      const n = map.index.length
      const channel = new Int32Array(n), dy = new Int32Array(n), dx = new Int32Array(n)
      const r = (p - 1) / 2
      for (let i = 0; i < n; i++) {
        // Flattened unfold index e = c * p*p + ky * p + kx (torch.nn.Unfold's channel-major order).
        const e = map.index[i]
        channel[i] = Math.floor(e / (p * p))
        dy[i] = Math.floor((e % (p * p)) / p) - r
        dx[i] = (e % p) - r
      }
      return { map, channel, dy, dx }
    })
  }

  /** levels: NHWC maps, first one on the finest grid. Returns [B*H0*W0 * targetDim], rows image-major, row-major. */
  embed(levels: readonly HostMap[]): Float32Array {
    if (levels.length !== this.levels.length) throw new Error(`expected ${this.levels.length} feature levels, got ${levels.length}`)
    const [B, H, W] = levels[0].shape
    const D = this.config.targetDim
    const r = (this.config.patchSize - 1) / 2
    const out = new Float32Array(B * H * W * D)
    levels.forEach((lv, l) => {
      const [b, h, w, C] = lv.shape
      if (b !== B || C !== this.levelChannels[l]) throw new Error(`level ${l} has shape [${lv.shape}], expected batch ${B} and ${this.levelChannels[l]} channels`)
      const { map, channel, dy, dx } = this.levels[l]
      const { count, k, weight, first } = map
      // Zero-padding the map once removes every bounds check from the inner loop; taps become flat offsets.
      const pw = w + 2 * r
      const padded = new Float32Array((h + 2 * r) * pw * C)
      const delta = new Int32Array(count * k)
      for (let t = 0; t < delta.length; t++) delta[t] = (dy[t] * pw + dx[t]) * C + channel[t]
      // Skip the zero-weight filler taps: [start[j], start[j+1]) are output j's real taps.
      const start = new Int32Array(count + 1)
      const tapW: number[] = []
      const tapD: number[] = []
      for (let j = 0; j < count; j++) {
        for (let t = j * k; t < (j + 1) * k; t++) if (weight[t] !== 0) (tapW.push(weight[t]), tapD.push(delta[t]))
        start[j + 1] = tapW.length
      }
      const tw = Float32Array.from(tapW)
      const td = Int32Array.from(tapD)
      const direct = h === H && w === W
      const tmp = direct ? out : new Float32Array(h * w * count)
      for (let img = 0; img < b; img++) {
        for (let y = 0; y < h; y++) padded.set(lv.data.subarray(((img * h + y) * w) * C, ((img * h + y) * w + w) * C), ((y + r) * pw + r) * C)
        if (!direct) tmp.fill(0)
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            const o = direct ? ((img * H + y) * W + x) * D + first : (y * w + x) * count
            const pb = ((y + r) * pw + x + r) * C
            for (let j = 0; j < count; j++) {
              let acc = 0
              for (let t = start[j], e = start[j + 1]; t < e; t++) acc += tw[t] * padded[pb + td[t]]
              tmp[o + j] += acc
            }
          }
        if (!direct) resizeAddInto(tmp, h, w, count, H, W, out, img * H * W * D, D, first)
      }
    })
    return out
  }
}
