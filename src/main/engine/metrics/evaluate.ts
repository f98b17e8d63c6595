// The five anomaly-detection metrics from labels, masks and anomaly maps (the `eval --json` keys).
import { apFromSweep, aurocFromSweep, sweep } from './ranking'
import { proScore } from './pro'

/** Metrics as `pbas eval --json` and `pbas metrics` print them (NaN -> null when undefined). */
export interface Metrics {
  image_auroc: number | null
  image_ap: number | null
  pixel_auroc: number | null
  pixel_ap: number | null
  pixel_pro: number | null
}

/** Predictions for a test set: n maps of h x w; masks optional (image metrics only without them). */
export interface Predictions {
  labels: ArrayLike<number>
  maps: Float32Array
  masks?: ArrayLike<number>
  n: number
  h: number
  w: number
  /** image scores; default: max of each map (paper Eq. 11) */
  imageScores?: Float32Array
}

const orNull = (x: number) => (Number.isFinite(x) ? x : null)

/** Image score per map: its maximum. */
export function maxPerMap(maps: Float32Array, n: number, hw: number): Float32Array {
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    let m = -Infinity
    for (let p = i * hw, e = p + hw; p < e; p++) if (maps[p] > m) m = maps[p]
    out[i] = m
  }
  return out
}

/** Computes I-AUROC, I-AP, and, when masks are given, P-AUROC, P-AP and PRO (FPR <= 0.3). */
export function computeMetrics(p: Predictions): Metrics {
  const hw = p.h * p.w
  if (p.maps.length !== p.n * hw) throw new Error(`maps hold ${p.maps.length} values, expected ${p.n}x${p.h}x${p.w}`)
  const scores = p.imageScores ?? maxPerMap(p.maps, p.n, hw)
  const img = sweep(scores, (i) => p.labels[i] > 0)
  const out: Metrics = { image_auroc: orNull(aurocFromSweep(img)), image_ap: orNull(apFromSweep(img)), pixel_auroc: null, pixel_ap: null, pixel_pro: null }
  if (p.masks) {
    const masks = p.masks
    if (masks.length !== p.maps.length) throw new Error(`masks hold ${masks.length} values, maps ${p.maps.length}`)
    const px = sweep(p.maps, (i) => masks[i] > 0)
    out.pixel_auroc = orNull(aurocFromSweep(px))
    out.pixel_ap = orNull(apFromSweep(px))
    out.pixel_pro = orNull(proScore(p.maps, masks, p.n, p.h, p.w))
  }
  return out
}
