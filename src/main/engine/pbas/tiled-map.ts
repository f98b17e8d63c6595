// Eq. 12 for a tiled photo: each tile's map, stitched onto the photo and resampled onto the whole photo's map, as per-axis operators the engine and the ONNX export share.
import { axisOperatorOf } from './anomaly-map'
import { resizeOperator, sandwichSum, stitchAxis, type TileGrid } from '../image/tiles'

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
