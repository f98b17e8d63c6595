// Nearest good training image by appearance: tiny average-pooled pixel descriptors compared by L2.
import type { PreparedImage } from '../image/preprocess'
import type { GoodPool } from '../model/good-pool'

/** Cells per side of the descriptor; coarse enough to ignore noise, fine enough to tell part poses apart. */
const CELLS = 16

/** A CELLS x CELLS x 3 average-pooled copy of a preprocessed image. */
export function pixelDescriptor(img: PreparedImage): Float32Array {
  const out = new Float32Array(CELLS * CELLS * 3)
  const counts = new Float32Array(CELLS * CELLS)
  const s = img.size
  for (let y = 0; y < s; y++) {
    const cy = Math.min(CELLS - 1, Math.floor((y * CELLS) / s))
    for (let x = 0; x < s; x++) {
      const c = cy * CELLS + Math.min(CELLS - 1, Math.floor((x * CELLS) / s))
      counts[c]++
      for (let k = 0; k < 3; k++) out[c * 3 + k] += img.data[(y * s + x) * 3 + k]
    }
  }
  for (let c = 0; c < counts.length; c++) for (let k = 0; k < 3; k++) out[c * 3 + k] /= Math.max(1, counts[c])
  return out
}

/** Index of the closest descriptor in `pool` (squared L2), or -1 for an empty pool. */
export function nearestIndex(query: Float32Array, pool: readonly Float32Array[]): number {
  let best = -1
  let bestD = Infinity
  pool.forEach((p, i) => {
    let d = 0
    for (let k = 0; k < p.length; k++) d += (p[k] - query[k]) ** 2
    if (d < bestD) {
      bestD = d
      best = i
    }
  })
  return best
}

/** Path of the good training image that looks most like `img` (the review's side-by-side picture), or null without a pool. */
export function nearestGoodPath(img: PreparedImage, pool: GoodPool): string | null {
  const n = pool.descriptors.length ? nearestIndex(pixelDescriptor(img), pool.descriptors) : -1
  return n >= 0 ? pool.paths[n] : null
}
