// The score range heat maps are drawn over: the model's stored one, or (older models) one read off the maps themselves.
import type { ModelMeta } from '../model/model-file'

function percentile(sample: Float32Array, q: number): number {
  const s = Float32Array.from(sample).sort()
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]
}

/** For models without a stored range: median pixel to the larger of the 99.9th percentile and the fail threshold. */
export function mapRangeOf(maps: readonly Float32Array[], fail: number): { lo: number; hi: number } {
  const total = maps.reduce((a, m) => a + m.length, 0)
  if (total === 0) return { lo: 0, hi: Math.max(fail, 1e-6) }
  const stride = Math.max(1, Math.floor(total / 2e6))
  const pool = new Float32Array(Math.ceil(total / stride))
  let k = 0
  let g = 0
  // A strided sample of every map's pixels is enough for the percentiles and keeps the sort small.
  for (const m of maps) for (let i = 0; i < m.length; i++, g++) if (g % stride === 0 && k < pool.length) pool[k++] = m[i]
  const lo = percentile(pool.subarray(0, k), 0.5)
  return { lo, hi: Math.max(percentile(pool.subarray(0, k), 0.999), fail, lo + 1e-6) }
}

/** The range every heat map of this model is drawn over (reviews, `pbas infer`, the demo, the station). */
export function modelMapRange(meta: ModelMeta, maps: readonly Float32Array[] = []): { lo: number; hi: number } {
  return meta.thresholds.mapRange ?? mapRangeOf(maps, meta.thresholds.band.fail)
}

/** A map as 8-bit grey over `range` (0 at lo, 255 at hi and above). */
export function toGreyMap(map: Float32Array, range: { lo: number; hi: number }): Buffer {
  const grey = Buffer.alloc(map.length)
  const span = range.hi - range.lo
  for (let j = 0; j < map.length; j++) grey[j] = Math.round(255 * Math.min(1, Math.max(0, (map[j] - range.lo) / span)))
  return grey
}
