// Tiled heat maps: per-tile maps stitched back onto the photo without seams, as per-axis operators the export shares.
import { resizeMap } from '../util/bilinear'
import { axisOperatorOf } from '../pbas/anomaly-map'
import type { TileGrid } from '../../../shared/image/tile-grid'

export { tileGrid, tileLayout, tilesOf, type Tile, type TileGrid } from '../../../shared/image/tile-grid'

/** A tent weight across a tile (highest in the middle, a floor at the edges), so overlaps blend instead of cutting. */
function feather(n: number): Float64Array {
  const w = new Float64Array(n)
  for (let i = 0; i < n; i++) w[i] = Math.max(0.05, 1 - Math.abs((i + 0.5) / n - 0.5) * 2)
  return w
}

/** Bilinear resize from `from` to `to` samples as a to x from matrix (row-major): column j is a unit impulse at j, resized. */
function resizeOperator(from: number, to: number): Float64Array {
  const M = new Float64Array(to * from)
  const unit = new Float32Array(from)
  for (let j = 0; j < from; j++) {
    unit.fill(0)
    unit[j] = 1
    const col = resizeMap(unit, 1, from, 1, to)
    for (let i = 0; i < to; i++) M[i * from + j] = col[i]
  }
  return M
}

/**
 * One axis of stitching, per tile start: the photo-pixel rows [start, start + len) of the operator that takes a
 * tile map's `size` samples to the photo (bilinear onto the tile, feathered, divided by the overlaps' summed
 * weight). The weights of a grid are a product of per-axis weights, so the 2-D stitch is E_row M E_col^T.
 */
function stitchAxis(starts: readonly number[], len: number, n: number, size: number): Float64Array[] {
  const R = resizeOperator(size, len)
  const f = feather(len)
  const norm = new Float64Array(n)
  for (const s of starts) for (let i = 0; i < len; i++) norm[s + i] += f[i]
  return starts.map((s) => {
    const E = new Float64Array(len * size)
    for (let i = 0; i < len; i++) {
      if (!norm[s + i]) throw new Error(`the tiles leave photo pixel ${s + i} uncovered`)
      const k = f[i] / norm[s + i]
      for (let j = 0; j < size; j++) E[i * size + j] = k * R[i * size + j]
    }
    return E
  })
}

/** sum over tiles of L_r M_k R_c^T: L [rows x a] per tile row, M [a x b] per tile, R [cols x b] per tile column. */
function sandwichSum(g: TileGrid, maps: readonly ArrayLike<number>[], L: readonly Float64Array[], R: readonly Float64Array[], rows: number, cols: number, a: number, b: number, rowAt: (r: number) => number, colAt: (c: number) => number): Float32Array {
  const out = new Float64Array(rows * cols)
  const T = new Float64Array(a * cols)
  maps.forEach((m, k) => {
    const r = Math.floor(k / g.xs.length)
    const c = k % g.xs.length
    const Lr = L[r]
    const Rc = R[c]
    const Rrows = Rc.length / b
    // T = M R_c^T [a x Rrows], then out[rowAt + y, colAt + x] += L_r T.
    T.fill(0)
    for (let i = 0; i < a; i++)
      for (let j = 0; j < b; j++) {
        const v = m[i * b + j]
        if (v === 0) continue
        for (let x = 0; x < Rrows; x++) T[i * cols + x] += v * Rc[x * b + j]
      }
    const Lrows = Lr.length / a
    for (let y = 0; y < Lrows; y++) {
      const o = (rowAt(r) + y) * cols + colAt(c)
      for (let i = 0; i < a; i++) {
        const l = Lr[y * a + i]
        if (l === 0) continue
        for (let x = 0; x < Rrows; x++) out[o + x] += l * T[i * cols + x]
      }
    }
  })
  return Float32Array.from(out)
}

/**
 * Stitches per-tile maps (each `size` x `size` over its tile's input, row by row over the grid) into one map in
 * photo pixels: each map is resized onto its tile's window and the overlaps are averaged with feathered weights.
 * A constant map stitches to the same constant; where one tile alone is hot, the hot spot keeps its place.
 */
export function stitchMaps(maps: readonly Float32Array[], g: TileGrid, size: number): Float32Array {
  if (maps.length !== g.xs.length * g.ys.length) throw new Error(`${maps.length} maps for ${g.xs.length * g.ys.length} tiles`)
  const Ey = stitchAxis(g.ys, g.h, g.height, size)
  const Ex = stitchAxis(g.xs, g.w, g.width, size)
  return sandwichSum(g, maps, Ey, Ex, g.height, g.width, size, size, (r) => g.ys[r], (c) => g.xs[c])
}

/**
 * Eq. 12 for a tiled photo as per-axis operators: a tile's g x g patch scores P_k go through the tile's heat map
 * (A P A^T at `size` px), are stitched onto the photo and resampled onto the size x size map of the whole photo
 * (the stretch geometry, so review, metrics and the viewer treat it as any other map). All steps are linear:
 * map = sum_k rows[r(k)] P_k cols[c(k)]^T with rows/cols [size x g]. The engine and the ONNX export both use it.
 */
export interface TiledMapOperators {
  grid: TileGrid
  patchGrid: number
  size: number
  /** one [size x g] operator per tile row, then per tile column (row-major) */
  rows: Float64Array[]
  cols: Float64Array[]
}

/** Composes resample . stitch . Eq. 12 per axis for one tile-grid axis. */
function mapAxis(starts: readonly number[], len: number, n: number, patchGrid: number, size: number, sigma: number): Float64Array[] {
  const A = axisOperatorOf(patchGrid, size, sigma) // [size x g]
  const Q = resizeOperator(n, size) // [size x n]
  return stitchAxis(starts, len, n, size).map((E, t) => {
    const EA = new Float64Array(len * patchGrid) // the tile window's rows of E A
    for (let i = 0; i < len; i++)
      for (let j = 0; j < size; j++) {
        const e = E[i * size + j]
        if (e === 0) continue
        for (let q = 0; q < patchGrid; q++) EA[i * patchGrid + q] += e * A[j * patchGrid + q]
      }
    const out = new Float64Array(size * patchGrid)
    const s = starts[t]
    for (let y = 0; y < size; y++)
      for (let i = 0; i < len; i++) {
        const qv = Q[y * n + s + i]
        if (qv === 0) continue
        for (let q = 0; q < patchGrid; q++) out[y * patchGrid + q] += qv * EA[i * patchGrid + q]
      }
    return out
  })
}

const cache = new Map<string, TiledMapOperators>()

/** The operators of a tile grid, cached per grid, patch grid, map size and sigma (a station meets one photo size). */
export function tiledMapOperators(grid: TileGrid, patchGrid: number, size: number, sigma: number): TiledMapOperators {
  const key = JSON.stringify([grid, patchGrid, size, sigma])
  let ops = cache.get(key)
  if (!ops) {
    ops = { grid, patchGrid, size, rows: mapAxis(grid.ys, grid.h, grid.height, patchGrid, size, sigma), cols: mapAxis(grid.xs, grid.w, grid.width, patchGrid, size, sigma) }
    if (cache.size > 16) cache.clear()
    cache.set(key, ops)
  }
  return ops
}

/** A tiled photo's heat map (size x size over the whole photo) from its patch scores, tile after tile, g x g each. */
export function tiledAnomalyMap(patchScores: Float32Array, ops: TiledMapOperators): Float32Array {
  const { grid, patchGrid: g, size } = ops
  const n = grid.xs.length * grid.ys.length
  if (patchScores.length !== n * g * g) throw new Error(`${patchScores.length} patch scores for ${n} tiles of ${g} x ${g}`)
  const maps = Array.from({ length: n }, (_, k) => patchScores.subarray(k * g * g, (k + 1) * g * g))
  return sandwichSum(grid, maps, ops.rows, ops.cols, size, size, g, g, () => 0, () => 0)
}
