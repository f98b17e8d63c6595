// Tiling a photo at a chosen resolution: overlapping square tiles that cover it, and their heat maps stitched back without seams.
import { resizeMap } from '../util/bilinear'

/** One tile: its window in photo pixels (a square of `side` pixels, or the whole photo along a shorter axis). */
export interface Tile {
  x: number
  y: number
  w: number
  h: number
}

/** Start positions along one axis of length `n`: tiles of `side` overlapping by at least `overlap`, first at 0, last at the end. */
function starts(n: number, side: number, overlap: number): number[] {
  if (n <= side) return [0]
  const count = Math.ceil((n - side) / (side - overlap)) + 1
  const stride = (n - side) / (count - 1)
  return Array.from({ length: count }, (_, k) => Math.round(k * stride))
}

/**
 * The tiles of a `width` x `height` photo: squares of `side` photo pixels (side = input size / scale, so a
 * 256 px input at scale 1 sees native pixels), overlapping by at least `overlapShare` of a side, evenly spread so
 * the first and last touch the photo's edges. Along an axis shorter than `side` one tile spans it.
 */
export function tileLayout(width: number, height: number, side: number, overlapShare = 0.25): Tile[] {
  if (!(side >= 8) || !(width >= 1) || !(height >= 1)) throw new Error(`tiles need a side of at least 8 px and a photo of at least 1 px (side ${side}, photo ${width} x ${height})`)
  if (!(overlapShare >= 0 && overlapShare < 1)) throw new Error(`the tile overlap must be a share from 0 to below 1 (got ${overlapShare})`)
  const overlap = Math.ceil(side * overlapShare)
  const out: Tile[] = []
  for (const y of starts(height, side, overlap)) for (const x of starts(width, side, overlap)) out.push({ x, y, w: Math.min(side, width), h: Math.min(side, height) })
  return out
}

/** A tent weight across a tile (highest in the middle, a floor at the edges), so overlaps blend instead of cutting. */
function feather(n: number): Float32Array {
  const w = new Float32Array(n)
  for (let i = 0; i < n; i++) w[i] = Math.max(0.05, 1 - Math.abs((i + 0.5) / n - 0.5) * 2)
  return w
}

/**
 * Stitches per-tile maps (each `size` x `size` over its tile's input) into one `width` x `height` map in photo
 * pixels: each map is resized onto its tile's window and the overlaps are averaged with feathered weights. A
 * constant map stitches to the same constant; where one tile alone is hot, the hot spot keeps its place.
 */
export function stitchMaps(maps: readonly Float32Array[], tiles: readonly Tile[], size: number, width: number, height: number): Float32Array {
  if (maps.length !== tiles.length) throw new Error(`${maps.length} maps for ${tiles.length} tiles`)
  const sum = new Float64Array(width * height)
  const weight = new Float64Array(width * height)
  maps.forEach((m, k) => {
    const t = tiles[k]
    const local = resizeMap(m, size, size, t.h, t.w)
    const wx = feather(t.w)
    const wy = feather(t.h)
    for (let y = 0; y < t.h; y++)
      for (let x = 0; x < t.w; x++) {
        const o = (t.y + y) * width + t.x + x
        const wt = wx[x] * wy[y]
        sum[o] += wt * local[y * t.w + x]
        weight[o] += wt
      }
  })
  const out = new Float32Array(width * height)
  for (let i = 0; i < out.length; i++) {
    if (!weight[i]) throw new Error(`the tiles leave photo pixel (${i % width}, ${Math.floor(i / width)}) uncovered`)
    out[i] = sum[i] / weight[i]
  }
  return out
}

/** The image score over tiles: the largest of the tiles' scores (each the largest of its patch scores, Eq. 11). */
export function tiledImageScore(tileScores: readonly number[]): number {
  return tileScores.reduce((a, b) => (b > a ? b : a), -Infinity)
}
