// Density contours for scatter plots: a Gaussian-smoothed 2-D histogram and marching-squares iso-lines.

/** A density grid over a rectangle: n x n cells, row-major from (x0, y0). */
export interface DensityGrid {
  n: number
  x0: number
  y0: number
  dx: number
  dy: number
  values: Float64Array
}

function blur1d(v: Float64Array, n: number, sigma: number, horizontal: boolean): Float64Array {
  const r = Math.max(1, Math.ceil(3 * sigma))
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)))
  const out = new Float64Array(v.length)
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      let s = 0
      for (let t = -r; t <= r; t++) {
        const xx = horizontal ? x + t : x
        const yy = horizontal ? y : y + t
        if (xx >= 0 && yy >= 0 && xx < n && yy < n) s += k[t + r] * v[yy * n + xx]
      }
      out[y * n + x] = s
    }
  return out
}

/** Bins points into an n x n grid over `bounds` and smooths it with a Gaussian of `sigma` cells. */
export function densityGrid(points: readonly [number, number][], bounds: { x: [number, number]; y: [number, number] }, n = 48, sigma = 1.5): DensityGrid {
  const dx = (bounds.x[1] - bounds.x[0]) / n || 1
  const dy = (bounds.y[1] - bounds.y[0]) / n || 1
  let v: Float64Array = new Float64Array(n * n)
  for (const [px, py] of points) {
    const cx = Math.floor((px - bounds.x[0]) / dx)
    const cy = Math.floor((py - bounds.y[0]) / dy)
    if (cx >= 0 && cy >= 0 && cx < n && cy < n) v[cy * n + cx]++
  }
  v = blur1d(blur1d(v, n, sigma, true), n, sigma, false)
  return { n, x0: bounds.x[0], y0: bounds.y[0], dx, dy, values: v }
}

/** Iso-line segments ([x1, y1, x2, y2] in data units, cell centres as samples) of a grid at one level. */
export function contourSegments(g: DensityGrid, level: number): [number, number, number, number][] {
  const { n, values: v } = g
  const px = (i: number) => g.x0 + (i + 0.5) * g.dx
  const py = (j: number) => g.y0 + (j + 0.5) * g.dy
  const lerp = (a: number, b: number) => (level - a) / (b - a || 1e-300)
  const out: [number, number, number, number][] = []
  for (let j = 0; j < n - 1; j++)
    for (let i = 0; i < n - 1; i++) {
      const a = v[j * n + i]
      const b = v[j * n + i + 1]
      const c = v[(j + 1) * n + i + 1]
      const d = v[(j + 1) * n + i]
      // Crossing points on the cell's four edges (bottom a-b, right b-c, top d-c, left a-d).
      const pts: [number, number][] = []
      if (a < level !== b < level) pts.push([px(i) + lerp(a, b) * g.dx, py(j)])
      if (b < level !== c < level) pts.push([px(i + 1), py(j) + lerp(b, c) * g.dy])
      if (d < level !== c < level) pts.push([px(i) + lerp(d, c) * g.dx, py(j + 1)])
      if (a < level !== d < level) pts.push([px(i), py(j) + lerp(a, d) * g.dy])
      // Two crossings: one segment; four (a saddle): pair them in edge order, which keeps the lines apart.
      for (let k = 0; k + 1 < pts.length; k += 2) out.push([pts[k][0], pts[k][1], pts[k + 1][0], pts[k + 1][1]])
    }
  return out
}
