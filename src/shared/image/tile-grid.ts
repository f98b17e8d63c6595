// Tiling a photo at a chosen resolution: overlapping tiles that cover it, in the order the network reads them.

/** One tile: its window in photo pixels (a square of `side` pixels, or the whole photo along a shorter axis). */
export interface Tile {
  x: number
  y: number
  w: number
  h: number
}

/**
 * The tiles of a photo as a grid: tile (r, c) starts at (xs[c], ys[r]) and is w x h photo pixels. Every tiling
 * is such a grid, which keeps stitching separable (one operator per tile row and per tile column).
 */
export interface TileGrid {
  width: number
  height: number
  xs: number[]
  ys: number[]
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
 * The tile grid of a `width` x `height` photo: squares of `side` photo pixels (side = the input size sees native
 * pixels), overlapping by at least `overlapShare` of a side, evenly spread so the first and last touch the
 * photo's edges. Along an axis shorter than `side` one tile spans it.
 */
export function tileGrid(width: number, height: number, side: number, overlapShare = 0.25): TileGrid {
  if (!(side >= 8) || !(width >= 1) || !(height >= 1)) throw new Error(`tiles need a side of at least 8 px and a photo of at least 1 px (side ${side}, photo ${width} x ${height})`)
  if (!(overlapShare >= 0 && overlapShare < 1)) throw new Error(`the tile overlap must be a share from 0 to below 1 (got ${overlapShare})`)
  const overlap = Math.ceil(side * overlapShare)
  return { width, height, xs: starts(width, side, overlap), ys: starts(height, side, overlap), w: Math.min(side, width), h: Math.min(side, height) }
}

/** The grid's tiles, row by row: the order of a photo's network inputs, features and patch scores. */
export function tilesOf(g: TileGrid): Tile[] {
  return g.ys.flatMap((y) => g.xs.map((x) => ({ x, y, w: g.w, h: g.h })))
}

/** Tiles covering a photo (see {@link tileGrid}). */
export function tileLayout(width: number, height: number, side: number, overlapShare = 0.25): Tile[] {
  return tilesOf(tileGrid(width, height, side, overlapShare))
}

/** A tiled model's photos: one size (its tiles are the centre's patch positions), cut into `tiles` tiles of `side` px. */
export interface ModelTiling {
  photoWidth: number
  photoHeight: number
  side: number
  tiles: number
}
