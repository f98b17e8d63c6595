// Heat-map rendering: an anomaly map blended over its image with a perceptual colour map, as PNG.
import sharp from 'sharp'

/** Key colours of a perceptually ordered map (viridis-like: dark blue -> green -> yellow). */
const STOPS: [number, number, number][] = [
  [68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37],
]

/** Colour of a value in [0, 1]. */
export function colourOf(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v)) * (STOPS.length - 1)
  const i = Math.min(STOPS.length - 2, Math.floor(t))
  const f = t - i
  return [0, 1, 2].map((c) => Math.round(STOPS[i][c] + f * (STOPS[i + 1][c] - STOPS[i][c]))) as [number, number, number]
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
