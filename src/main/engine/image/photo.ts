// A part's photo for the review viewer: its own pixels (lossless), and where the network input lies on it.
import type { ReviewPhoto } from '../../../shared/models/review'
import { computeGeometry, inputWindow, type PreprocessOptions } from '../../../shared/image/geometry'
import { openImage } from './open-image'

/** Photos up to this many pixels on their longer side are shown at their own resolution; larger ones are scaled down to it. */
export const PHOTO_MAX_SIDE = 4096

/** The photo at `path` as a PNG data URL of its decoded, oriented pixels, with the input window of `opts` on it. */
export async function reviewPhoto(path: string, opts: PreprocessOptions): Promise<ReviewPhoto> {
  const { image, info } = await openImage(path)
  const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(info.width, info.height))
  const width = Math.round(info.width * scale)
  const height = Math.round(info.height * scale)
  let s = image.removeAlpha().toColourspace('srgb')
  if (scale < 1) s = s.resize(width, height)
  const png = await s.png({ compressionLevel: 3 }).toBuffer()
  const w = inputWindow(info.width, info.height, computeGeometry(info.width, info.height, opts))
  return { url: `data:image/png;base64,${png.toString('base64')}`, width, height, scale, input: { x: w.x * scale, y: w.y * scale, w: w.w * scale, h: w.h * scale } }
}
