// Pixel anomaly maps from patch scores (paper Eq. 12): bilinear upsampling, then Gaussian smoothing.
import { resizeMap } from '../util/bilinear'

/** 1-D Gaussian kernel as scipy.ndimage builds it: radius = int(truncate * sigma + 0.5), normalised. */
export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const r = Math.floor(truncate * sigma + 0.5)
  const k = new Float64Array(2 * r + 1)
  let sum = 0
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma))
  for (let i = 0; i < k.length; i++) k[i] /= sum
  return k
}

/** scipy 'reflect' index (half-sample symmetric: d c b a | a b c d | d c b a). */
function reflect(i: number, n: number): number {
  const period = 2 * n
  i = ((i % period) + period) % period
  return i < n ? i : period - 1 - i
}

/** scipy.ndimage.gaussian_filter(img, sigma, truncate=4, mode='reflect') for an H x W map. */
export function gaussianFilter(img: Float32Array, H: number, W: number, sigma = 4): Float32Array {
  const k = gaussianKernel(sigma)
  const r = (k.length - 1) / 2
  const tmp = new Float64Array(H * W)
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let s = 0
      for (let t = -r; t <= r; t++) s += k[t + r] * img[y * W + reflect(x + t, W)]
      tmp[y * W + x] = s
    }
  const out = new Float32Array(H * W)
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let s = 0
      for (let t = -r; t <= r; t++) s += k[t + r] * tmp[reflect(y + t, H) * W + x]
      out[y * W + x] = s
    }
  return out
}

/** Patch scores on a g x g grid -> S x S pixel map (bilinear, then Gaussian sigma 4). */
export function anomalyMap(patchScores: Float32Array, grid: number, size: number, sigma = 4): Float32Array {
  return gaussianFilter(resizeMap(patchScores, grid, grid, size, size), size, size, sigma)
}

/**
 * anomalyMap as a matrix: it is linear and separable with the same factor on both axes, so for a g x g
 * score grid P, anomalyMap(P) = A P A^T. Column i of A [size x grid, row-major] is the 1-D map of a unit
 * impulse at cell i, computed by the functions above, so the ONNX export uses exactly this maths.
 */
export function anomalyMapOperator(grid: number, size: number, sigma = 4): Float32Array {
  const A = new Float32Array(size * grid)
  for (let i = 0; i < grid; i++) {
    const impulse = new Float32Array(grid)
    impulse[i] = 1
    // A 1-pixel-wide map: the filter across its width is the identity (reflect keeps every tap on the pixel).
    const col = gaussianFilter(resizeMap(impulse, grid, 1, size, 1), size, 1, sigma)
    for (let y = 0; y < size; y++) A[y * grid + i] = col[y]
  }
  return A
}
