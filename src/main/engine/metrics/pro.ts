// PRO (per-region overlap) integrated to FPR 0.3: 8-connected regions, exact curve over all thresholds.
import { argsortDescending } from './argsort'

/** Labels 8-connected foreground regions of one H x W mask; returns labels (0 = background) and count. */
export function labelRegions(mask: ArrayLike<number>, h: number, w: number, offset = 0): { labels: Int32Array; count: number } {
  const labels = new Int32Array(h * w)
  const stack: number[] = []
  let count = 0
  for (let start = 0; start < h * w; start++) {
    if (!(mask[offset + start] > 0) || labels[start]) continue
    labels[start] = ++count
    stack.push(start)
    while (stack.length) {
      const p = stack.pop()!
      const y = Math.floor(p / w)
      const x = p % w
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy
          const xx = x + dx
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue
          const q = yy * w + xx
          if (mask[offset + q] > 0 && !labels[q]) {
            labels[q] = count
            stack.push(q)
          }
        }
    }
  }
  return { labels, count }
}

/**
 * PRO score: area under the (FPR, mean per-region overlap) curve from FPR 0 to `maxFpr` (linear
 * interpolation at maxFpr), divided by maxFpr. `maps` and `masks` are n images of h x w, flattened.
 */
export function proScore(maps: Float32Array, masks: ArrayLike<number>, n: number, h: number, w: number, maxFpr = 0.3): number {
  const hw = h * w
  // Region id per pixel across all images (0 = background) and each region's size.
  const region = new Int32Array(n * hw)
  const sizes: number[] = [0]
  for (let i = 0; i < n; i++) {
    const { labels, count } = labelRegions(masks, h, w, i * hw)
    const base = sizes.length - 1
    for (let r = 0; r < count; r++) sizes.push(0)
    for (let p = 0; p < hw; p++)
      if (labels[p]) {
        region[i * hw + p] = base + labels[p]
        sizes[base + labels[p]]++
      }
  }
  const regions = sizes.length - 1
  let negatives = 0
  for (let p = 0; p < region.length; p++) if (!region[p]) negatives++
  if (regions === 0 || negatives === 0) return NaN
  const order = argsortDescending(maps)
  let fp = 0
  let fpr = 0
  let pro = 0
  let prevFpr = 0
  let prevPro = 0
  let area = 0
  for (let k = 0; k < order.length; k++) {
    const p = order[k]
    const r = region[p]
    if (r) pro += 1 / (sizes[r] * regions)
    else fpr = ++fp / negatives
    const groupEnd = k === order.length - 1 || maps[order[k + 1]] !== maps[p]
    if (!groupEnd) continue
    if (fpr >= maxFpr) {
      // Interpolate the segment that crosses maxFpr and stop.
      const t = fpr === prevFpr ? 0 : (maxFpr - prevFpr) / (fpr - prevFpr)
      const proAt = prevPro + t * (pro - prevPro)
      area += ((maxFpr - prevFpr) * (prevPro + proAt)) / 2
      return area / maxFpr
    }
    area += ((fpr - prevFpr) * (pro + prevPro)) / 2
    prevFpr = fpr
    prevPro = pro
  }
  return area / maxFpr
}
