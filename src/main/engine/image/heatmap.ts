// Heat-map rendering: an anomaly map blended over its image with a perceptual colour map, as PNG.
import sharp from 'sharp'
import { colourAt } from '../../../shared/colour-maps'

/** Colour of a value in [0, 1] on the viridis map (perceptually ordered: dark blue -> green -> yellow). */
export function colourOf(v: number): [number, number, number] {
  return colourAt('viridis', v)
}

/**
 * Renders `map` (size x size, scores) over `rgb` (HWC floats in [0, 1]) as a PNG. Scores are scaled with
 * the fixed range [lo, hi] (e.g. the model's pass and fail thresholds) so heat maps compare across images.
 */
export async function renderHeatmap(rgb: Float32Array, map: Float32Array, size: number, lo: number, hi: number, opacity = 0.5): Promise<Buffer> {
  const out = Buffer.alloc(size * size * 3)
  const span = Math.max(1e-12, hi - lo)
  for (let i = 0; i < size * size; i++) {
    const c = colourOf((map[i] - lo) / span)
    for (let k = 0; k < 3; k++) out[i * 3 + k] = Math.round((1 - opacity) * rgb[i * 3 + k] * 255 + opacity * c[k])
  }
  return sharp(out, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer()
}
