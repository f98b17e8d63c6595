// Stitching per-tile heat maps back onto the photo without seams, as per-axis linear operators.
import { resizeMap } from '../util/bilinear'
import type { TileGrid } from '../../../shared/image/tile-grid'

export { tileGrid, tileLayout, tilesOf, type Tile, type TileGrid } from '../../../shared/image/tile-grid'

/** A tent weight across a tile (highest in the middle, a floor at the edges), so overlaps blend instead of cutting. */
function feather(n: number): Float64Array {
  const w = new Float64Array(n)
  for (let i = 0; i < n; i++) w[i] = Math.max(0.05, 1 - Math.abs((i + 0.5) / n - 0.5) * 2)
  return w
}

/** Bilinear resize from `from` to `to` samples as a to x from matrix (row-major): column j is a unit impulse at j, resized. */
export function resizeOperator(from: number, to: number): Float64Array {
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
export function stitchAxis(starts: readonly number[], len: number, n: number, size: number): Float64Array[] {
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

/** The sum over tiles of L_r M_k R_c^T: L [rows x a] per tile row, M [a x b] per tile, R [cols x b] per tile column. */
export function sandwichSum(g: TileGrid, maps: readonly ArrayLike<number>[], L: readonly Float64Array[], R: readonly Float64Array[], rows: number, cols: number, a: number, b: number, rowAt: (r: number) => number, colAt: (c: number) => number): Float32Array {
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
