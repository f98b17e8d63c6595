// Heat-map overlays rendered from a review folder's stored image and 8-bit map (for reports and exports).
import { join } from 'node:path'
import sharp from 'sharp'
import { renderHeatmap } from '../image/heatmap'
import { reviewFiles } from './write-review'

/** The image with its heat map blended in, optionally downscaled, as PNG. */
export async function reviewOverlayPng(reviewDir: string, index: number, opts: { opacity?: number; width?: number } = {}): Promise<Buffer> {
  const img = await sharp(join(reviewDir, reviewFiles.image(index))).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const map = await sharp(join(reviewDir, reviewFiles.map(index))).extractChannel(0).raw().toBuffer()
  // Review images are square (the network input); the grey map's 0..255 is the colour map's whole range.
  const size = img.info.width
  const png = await renderHeatmap(Float32Array.from(img.data, (v) => v / 255), Float32Array.from(map), size, 0, 255, opts.opacity ?? 0.45)
  return opts.width && opts.width < size ? sharp(png).resize(opts.width).png().toBuffer() : png
}
