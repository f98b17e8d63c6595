// A review folder's pictures for one image: the network input, its heat map as 8-bit grey, and the grid's overlay thumbnail.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { renderHeatmap } from '../image/heatmap'
import type { Prediction } from '../pbas/prediction'
import { toGreyMap } from './map-range'
import { reviewFiles } from './review-file'

/** A preprocessed image's [0, 1] floats as 8-bit RGB. */
export function toBytes(rgb: Float32Array): Buffer {
  const out = Buffer.alloc(rgb.length)
  for (let i = 0; i < rgb.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, rgb[i])) * 255)
  return out
}

/** The grid's thumbnail: the heat map over the image, 128 px JPEG. */
export async function overlayThumb(p: Prediction, range: { lo: number; hi: number }): Promise<Buffer> {
  return sharp(await renderHeatmap(p.image.data, p.map, p.size, range.lo, range.hi, 0.45)).resize(128, 128).jpeg({ quality: 75 }).toBuffer()
}

/**
 * One image's pictures in a review folder: the network input (JPEG), its map as 8-bit grey scaled from
 * `range` (PNG) and a 128 px overlay thumbnail (JPEG, also returned for live views).
 */
export async function writeReviewPictures(dir: string, index: number, p: Prediction, range: { lo: number; hi: number }): Promise<Buffer> {
  const raw = { raw: { width: p.size, height: p.size, channels: 3 as const } }
  await sharp(toBytes(p.image.data), raw).jpeg({ quality: 90 }).toFile(join(dir, reviewFiles.image(index)))
  await sharp(toGreyMap(p.map, range), { raw: { width: p.size, height: p.size, channels: 1 } }).png().toFile(join(dir, reviewFiles.map(index)))
  const thumb = await overlayThumb(p, range)
  await writeFile(join(dir, reviewFiles.thumb(index)), thumb)
  return thumb
}
