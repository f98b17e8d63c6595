// The review overlay on the part's own photo: the network-size heat map and mask resampled onto the photo's pixels.
import type { ReviewPhoto } from '../../../shared/models/review'
import { paintOverlay, type OverlayLevels } from '../../../shared/review/overlay'

/** Decoded pictures of one part: the photo (or the network input when the photo is gone), and its map and mask. */
export interface ViewerPixels {
  base: ImageData
  /** the grey heat map and the mask, resampled onto `base` (RGBA, alpha 0 outside the network input) */
  heat: ImageData
  /**
   * the same map resampled nearest-neighbour: the flagged outline compares it with the threshold's level, since
   * bilinear smoothing lowers a small region's peak below the level its map pixels reach (no outline on a failed part)
   */
  heatNearest: ImageData
  mask: ImageData | null
  /** where the network input lies on `base`, in its pixels */
  input: ReviewPhoto['input']
}

function loadImg(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image()
    img.onload = () => resolve(img)
    img.onerror = () => reject(new Error('could not decode a review picture'))
    img.src = url
  })
}

/** Draws `img` into a width x height canvas at `rect` (bilinear, the rest transparent) and reads its pixels. */
function resampled(img: HTMLImageElement, width: number, height: number, rect: ReviewPhoto['input'], smooth = true): ImageData {
  const c = document.createElement('canvas')
  c.width = width
  c.height = height
  const g = c.getContext('2d', { willReadFrequently: true })!
  g.imageSmoothingEnabled = smooth
  if (smooth) g.imageSmoothingQuality = 'high'
  g.drawImage(img, rect.x, rect.y, rect.w, rect.h)
  return g.getImageData(0, 0, width, height)
}

/**
 * Decodes the photo at its own size and resamples the heat map and mask onto it; without a photo, the network
 * input itself (`image`, `size` px) is the base and the map lies on it one to one.
 */
export async function decodeViewerPixels(p: { image: string; map: string; mask: string | null; photo: ReviewPhoto | null }, size: number): Promise<ViewerPixels> {
  const base = await loadImg(p.photo?.url ?? p.image)
  const width = p.photo?.width ?? size
  const height = p.photo?.height ?? size
  const input = p.photo?.input ?? { x: 0, y: 0, w: size, h: size }
  const map = await loadImg(p.map)
  const mask = p.mask ? await loadImg(p.mask) : null
  return {
    base: resampled(base, width, height, { x: 0, y: 0, w: width, h: height }),
    heat: resampled(map, width, height, input),
    heatNearest: resampled(map, width, height, input, false),
    mask: mask && resampled(mask, width, height, input),
    input,
  }
}

/**
 * The photo with the overlay painted on: heat, flagged-region and truth outlines (lines about 2 screen pixels
 * wide at the fit zoom); outside the network input the photo is dimmed, since the model did not see it.
 */
export function overlaidPixels(px: ViewerPixels, opts: { colourMap: string; opacity: number; levels: OverlayLevels; showMask: boolean; lineWidth: number; partLevel?: number }): ImageData {
  const { base, heat, heatNearest, mask } = px
  const out = new ImageData(new Uint8ClampedArray(base.data), base.width, base.height)
  paintOverlay(out.data, 4, base.width, base.height, { data: heat.data, channels: 4 }, mask && opts.showMask ? { data: mask.data, channels: 4 } : null, { colourMap: opts.colourMap, opacity: opts.opacity, levels: opts.levels, lineWidth: opts.lineWidth, outlineHeat: { data: heatNearest.data, channels: 4 }, partLevel: opts.partLevel })
  for (let i = 0; i < out.data.length; i += 4)
    if (heat.data[i + 3] === 0) for (let k = 0; k < 3; k++) out.data[i + k] = Math.round(base.data[i + k] * 0.45)
  return out
}
