// Pure geometry of the paper's preprocessing (resize + centre crop) and of the pad/stretch alternatives.

/**
 * How a non-square part is fitted into the square network input:
 * - crop: shorter side to `resize`, centre crop `crop` (the paper's pipeline; may cut off the ends of wide parts)
 * - pad: longer side to `crop`, then pad the short side (keeps the whole part, defects at the edges included)
 * - stretch: resize to crop x crop, ignoring the aspect ratio
 * - tile: overlapping tiles at the photo's own resolution are the network's inputs (image/tiles.ts); the geometry
 *   here is stretch's, which is where the stitched map of the whole photo lies (review, metrics, viewer)
 */
import type { Fit } from '../pbas/parameters'
export type { Fit }

/** Preprocessing settings (paper text: 256/256; official MVTec script: 288/288). */
export interface PreprocessOptions {
  resize: number
  crop: number
  fit: Fit
  /** fit 'tile': tile side in photo pixels (0 or absent: `crop`, the photo's own resolution) */
  tileSide?: number
}

/** The tile side of a tiled preprocessing in photo pixels, or null for the single-square fits. */
export function tileSideOf(opts: PreprocessOptions): number | null {
  return opts.fit === 'tile' ? opts.tileSide || opts.crop : null
}

export const DEFAULT_PREPROCESS: PreprocessOptions = { resize: 256, crop: 256, fit: 'crop' }

/** Where the source image lands in the network input. */
export interface Geometry {
  /** size of the image after resizing, before crop/pad */
  resizedWidth: number
  resizedHeight: number
  /** crop window inside the resized image (crop mode), else the whole resized image */
  cropLeft: number
  cropTop: number
  /** padding added around the resized image (pad mode), else 0 */
  padLeft: number
  padTop: number
  padRight: number
  padBottom: number
  /** final network input size */
  size: number
  /** share of the source image's area that the network sees (1 unless crop cuts it) */
  visibleFraction: number
}

/** Python's round(): halves go to the even neighbour, as torchvision's CenterCrop does. */
export function pythonRound(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** Computes the geometry for an image of `width` x `height`. */
export function computeGeometry(width: number, height: number, opts: PreprocessOptions): Geometry {
  const { resize, crop: size, fit } = opts
  if (!(size > 0) || !(resize > 0)) throw new Error(`image sizes must be positive (resize ${resize}, crop ${size})`)
  const base = { cropLeft: 0, cropTop: 0, padLeft: 0, padTop: 0, padRight: 0, padBottom: 0, size, visibleFraction: 1 }
  if (fit === 'stretch' || fit === 'tile') return { ...base, resizedWidth: size, resizedHeight: size }
  if (fit === 'pad') {
    const scale = size / Math.max(width, height)
    const rw = Math.max(1, Math.round(width * scale))
    const rh = Math.max(1, Math.round(height * scale))
    const padLeft = Math.floor((size - rw) / 2)
    const padTop = Math.floor((size - rh) / 2)
    return {
      ...base,
      resizedWidth: rw,
      resizedHeight: rh,
      padLeft,
      padTop,
      padRight: size - rw - padLeft,
      padBottom: size - rh - padTop,
    }
  }
  if (size > resize) throw new Error(`crop size ${size} is larger than resize ${resize}`)
  // torchvision Resize(int): the shorter side becomes `resize`, the longer one is truncated, not rounded.
  let rw: number, rh: number
  if (width <= height) {
    rw = resize
    rh = Math.trunc((resize * height) / width)
  } else {
    rh = resize
    rw = Math.trunc((resize * width) / height)
  }
  const cropLeft = pythonRound((rw - size) / 2)
  const cropTop = pythonRound((rh - size) / 2)
  return { ...base, resizedWidth: rw, resizedHeight: rh, cropLeft, cropTop, visibleFraction: (size * size) / (rw * rh) }
}

/**
 * The network input's square in the source image's pixels: the crop window (crop), a square larger than the
 * image around it (pad), or the whole image (stretch, then not square in source pixels).
 */
export function inputWindow(width: number, height: number, g: Geometry): { x: number; y: number; w: number; h: number } {
  const sx = g.resizedWidth / width
  const sy = g.resizedHeight / height
  return { x: (g.cropLeft - g.padLeft) / sx, y: (g.cropTop - g.padTop) / sy, w: g.size / sx, h: g.size / sy }
}
