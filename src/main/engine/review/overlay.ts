// Heat-map overlays rendered from a review folder's stored image and 8-bit map (for grid thumbnails and reports).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { paintOverlay, type OverlayLevels } from '../../../shared/review/overlay'
import { reviewFiles } from './review-file'

/**
 * The image with its heat map blended in (from `levels.heatFrom` up), the flagged-region outline at
 * `levels.outlineAt` and, with `truthOutline`, the ground-truth mask's outline; optionally downscaled; PNG.
 */
export async function reviewOverlayPng(reviewDir: string, index: number, opts: { opacity?: number; width?: number; levels?: OverlayLevels; partLevel?: number; truthOutline?: boolean; jpeg?: boolean; ignored?: Uint8Array | null } = {}): Promise<Buffer> {
  const img = await sharp(join(reviewDir, reviewFiles.image(index))).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const map = await sharp(join(reviewDir, reviewFiles.map(index))).extractChannel(0).raw().toBuffer()
  const maskFile = join(reviewDir, reviewFiles.mask(index))
  const mask = opts.truthOutline && existsSync(maskFile) ? await sharp(maskFile).extractChannel(0).raw().toBuffer() : null
  // Review images are square (the network input); the grey map's 0..255 is the colour map's whole range.
  const size = img.info.width
  const out = Buffer.from(img.data)
  paintOverlay(out, 3, size, size, { data: map, channels: 1 }, mask && { data: mask, channels: 1 }, { colourMap: 'viridis', opacity: opts.opacity ?? 0.45, levels: opts.levels ?? { heatFrom: null, outlineAt: null }, partLevel: opts.partLevel })
  // What the model's region leaves out: diagonal light stripes over a darkened picture, as the viewer hatches it.
  if (opts.ignored)
    for (let i = 0; i < size * size; i++) {
      if (!opts.ignored[i]) continue
      const stripe = ((i % size) + Math.floor(i / size)) % 8 < 3
      for (let c = 0; c < 3; c++) out[i * 3 + c] = stripe ? Math.round(out[i * 3 + c] * 0.45 + 255 * 0.55) : Math.round(out[i * 3 + c] * 0.55)
    }
  let s = sharp(out, { raw: { width: size, height: size, channels: 3 } })
  if (opts.width && opts.width < size) s = s.resize(opts.width)
  return opts.jpeg ? s.jpeg({ quality: 80 }).toBuffer() : s.png().toBuffer()
}
