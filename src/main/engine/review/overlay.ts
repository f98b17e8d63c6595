// Heat-map overlays rendered from a review folder's stored image and 8-bit map (for reports and exports).
import { join } from 'node:path'
import sharp from 'sharp'
import { colourOf } from '../image/heatmap'
import { reviewFiles } from './write-review'

/** The image with its heat map blended in, optionally downscaled, as PNG. */
export async function reviewOverlayPng(reviewDir: string, index: number, opts: { opacity?: number; width?: number } = {}): Promise<Buffer> {
  const opacity = opts.opacity ?? 0.45
  const img = await sharp(join(reviewDir, reviewFiles.image(index))).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const map = await sharp(join(reviewDir, reviewFiles.map(index))).extractChannel(0).raw().toBuffer()
  const { width, height } = img.info
  const out = Buffer.alloc(width * height * 3)
  for (let i = 0; i < width * height; i++) {
    const c = colourOf(map[i] / 255)
    for (let k = 0; k < 3; k++) out[i * 3 + k] = Math.round((1 - opacity) * img.data[i * 3 + k] + opacity * c[k])
  }
  let p = sharp(out, { raw: { width, height, channels: 3 } })
  if (opts.width && opts.width < width) p = p.resize(opts.width)
  return p.png().toBuffer()
}
