// The score range heat maps are drawn over: the one the model stores, so every picture of a model compares.
import type { ModelMeta } from '../model/model-file'

/**
 * The range every heat map of this model is drawn over (reviews, `pbas infer`, the demo, the station):
 * stored at training (median good patch to the fail threshold); models from before that use half the
 * review threshold to the fail threshold.
 */
export function modelMapRange(meta: ModelMeta): { lo: number; hi: number } {
  const { mapRange, band } = meta.thresholds
  return mapRange ?? { lo: band.review * 0.5, hi: Math.max(band.fail, band.review * 0.5 + 1e-6) }
}

/** A map as 8-bit grey over `range` (0 at lo, 255 at hi and above). */
export function toGreyMap(map: Float32Array, range: { lo: number; hi: number }): Buffer {
  const grey = Buffer.alloc(map.length)
  const span = range.hi - range.lo
  for (let j = 0; j < map.length; j++) grey[j] = Math.round(255 * Math.min(1, Math.max(0, (map[j] - range.lo) / span)))
  return grey
}
