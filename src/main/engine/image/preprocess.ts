// Loads images and masks as network-ready arrays: decode, orient, resize, crop or pad, scale to [0, 1].
import type { Sharp } from 'sharp'
import { openImage, toRgbFloat, ImageReadError } from './open-image'
import { computeGeometry, tileSideOf, type Geometry, type PreprocessOptions, DEFAULT_PREPROCESS } from '../../../shared/image/geometry'
import { tileGrid, tilesOf, type TileGrid } from './tiles'

/** A preprocessed image: HWC RGB floats in [0, 1], size x size. */
export interface PreparedImage {
  path: string
  /** the picture of the whole input (with tiles: the photo stretched to size x size, where its map lies) */
  data: Float32Array
  size: number
  originalWidth: number
  originalHeight: number
  geometry: Geometry
  /** fit 'tile': the photo's tiles, each resized to size x size, row by row ([tiles x size x size x 3]) */
  tiles?: { grid: TileGrid; data: Float32Array }
}

/** What the network reads of an image: its tiles, or its one square. */
export function networkInput(image: PreparedImage): Float32Array {
  return image.tiles?.data ?? image.data
}

/** How many network inputs an image is (its tile count, else 1). */
export function inputCount(image: Pick<PreparedImage, 'tiles'>): number {
  return image.tiles ? image.tiles.grid.xs.length * image.tiles.grid.ys.length : 1
}

/** Network inputs back to back in one array (a batch's [inputs x size x size x 3]). */
export function concatInputs(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0))
  let at = 0
  for (const p of parts) (out.set(p, at), (at += p.length))
  return out
}

/** A batch of images as the network reads it: every image's inputs back to back, and how many inputs that is. */
export function networkBatch(images: readonly PreparedImage[]): { data: Float32Array; count: number } {
  return { data: concatInputs(images.map(networkInput)), count: images.reduce((a, im) => a + inputCount(im), 0) }
}

function applyGeometry(image: Sharp, g: Geometry, background: number): Sharp {
  // 'linear' with sharp's reducing resize matches PIL's antialiased bilinear closely (tested against torchvision).
  let p = image.resize(g.resizedWidth, g.resizedHeight, { fit: 'fill', kernel: 'linear' })
  if (g.resizedWidth !== g.size || g.resizedHeight !== g.size) {
    if (g.padLeft || g.padTop || g.padRight || g.padBottom) {
      p = p.extend({
        left: g.padLeft,
        top: g.padTop,
        right: g.padRight,
        bottom: g.padBottom,
        background: { r: background, g: background, b: background, alpha: 1 },
      })
    } else {
      p = p.extract({ left: g.cropLeft, top: g.cropTop, width: g.size, height: g.size })
    }
  }
  return p
}

/** Reads an image file and applies the preprocessing geometry. */
export async function loadImage(path: string, opts: PreprocessOptions = DEFAULT_PREPROCESS): Promise<PreparedImage> {
  const { image, info } = await openImage(path)
  const geometry = computeGeometry(info.width, info.height, opts)
  const side = tileSideOf(opts)
  const { data } = await toRgbFloat(path, applyGeometry(side ? image.clone() : image, geometry, 0), info.bitDepth)
  const prepared: PreparedImage = { path, data, size: geometry.size, originalWidth: info.width, originalHeight: info.height, geometry }
  if (side) {
    const S = geometry.size
    const grid = tileGrid(info.width, info.height, side)
    const tiles = tilesOf(grid)
    const all = new Float32Array(tiles.length * S * S * 3)
    // Each tile is cut from the oriented photo and resized to the input (a side shorter than `side` is stretched to it).
    const parts = await Promise.all(tiles.map((t) => toRgbFloat(path, image.clone().extract({ left: t.x, top: t.y, width: t.w, height: t.h }).resize(S, S, { fit: 'fill', kernel: 'linear' }), info.bitDepth)))
    parts.forEach((p, k) => all.set(p.data, k * S * S * 3))
    prepared.tiles = { grid, data: all }
  }
  return prepared
}

/**
 * Reads a ground-truth mask with the same geometry as its image and binarises it at 0.5.
 * `expected` is the image's oriented size; a mask of another size is rejected because it cannot
 * be aligned with its image.
 */
export async function loadMask(
  path: string,
  expected: { width: number; height: number },
  opts: PreprocessOptions = DEFAULT_PREPROCESS,
): Promise<Uint8Array> {
  const { image, info } = await openImage(path)
  if (info.width !== expected.width || info.height !== expected.height) {
    throw new ImageReadError(
      path,
      `the mask is ${info.width}x${info.height} but its image is ${expected.width}x${expected.height}; masks must have their image's size`,
    )
  }
  const geometry = computeGeometry(info.width, info.height, opts)
  const { data } = await toRgbFloat(path, applyGeometry(image, geometry, 0), info.bitDepth)
  const n = geometry.size * geometry.size
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = data[i * 3] > 0.5 ? 1 : 0
  return out
}
