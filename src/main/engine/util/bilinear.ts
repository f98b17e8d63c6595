// Bilinear resize with half-pixel centres, as torch.nn.functional.interpolate(align_corners=False).

function axis(o: number, inS: number, outS: number): { i0: number; i1: number; t: number } {
  const s = Math.max(0, (o + 0.5) * (inS / outS) - 0.5)
  const i0 = Math.min(Math.floor(s), inS - 1)
  return { i0, i1: Math.min(i0 + 1, inS - 1), t: s - i0 }
}

/**
 * Resizes an [h, w, n] block (n values per pixel) to [H, W, n] and ADDS the result into `out`, whose
 * pixels are `stride` values apart starting at `outBase`, at column `col`.
 */
export function resizeAddInto(
  src: Float32Array, h: number, w: number, n: number, H: number, W: number,
  out: Float32Array, outBase: number, stride: number, col: number,
): void {
  const xs = Array.from({ length: W }, (_, X) => axis(X, w, W))
  for (let Y = 0; Y < H; Y++) {
    const ay = axis(Y, h, H)
    for (let X = 0; X < W; X++) {
      const ax = xs[X]
      const a = (ay.i0 * w + ax.i0) * n, b = (ay.i0 * w + ax.i1) * n
      const c = (ay.i1 * w + ax.i0) * n, d = (ay.i1 * w + ax.i1) * n
      const o = outBase + (Y * W + X) * stride + col
      for (let j = 0; j < n; j++) {
        const top = src[a + j] + ax.t * (src[b + j] - src[a + j])
        const bot = src[c + j] + ax.t * (src[d + j] - src[c + j])
        out[o + j] += top + ay.t * (bot - top)
      }
    }
  }
}

/** Resizes a single-channel h x w map to H x W. */
export function resizeMap(src: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  const out = new Float32Array(H * W)
  resizeAddInto(src, h, w, 1, H, W, out, 0, 1, 0)
  return out
}
