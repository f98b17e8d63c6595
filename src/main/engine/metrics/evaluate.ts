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

/** I-AUROC and I-AP of image scores against 0/1 labels. */
export function imageMetrics(scores: Float32Array, labels: ArrayLike<number>): Pick<Metrics, 'image_auroc' | 'image_ap'> {
  const img = sweep(scores, (i) => labels[i] > 0)
  return { image_auroc: orNull(aurocFromSweep(img)), image_ap: orNull(apFromSweep(img)) }
}

/** P-AUROC, P-AP and PRO (FPR <= 0.3) of n maps of h x w against their masks. */
export function pixelMetrics(maps: Float32Array, masks: ArrayLike<number>, n: number, h: number, w: number): Pick<Metrics, 'pixel_auroc' | 'pixel_ap' | 'pixel_pro'> {
  if (masks.length !== maps.length) throw new Error(`masks hold ${masks.length} values, maps ${maps.length}`)
  const px = sweep(maps, (i) => masks[i] > 0)
  return { pixel_auroc: orNull(aurocFromSweep(px)), pixel_ap: orNull(apFromSweep(px)), pixel_pro: orNull(proScore(maps, masks, n, h, w)) }
}

/** Computes I-AUROC, I-AP, and, when masks are given, P-AUROC, P-AP and PRO (FPR <= 0.3). */
export function computeMetrics(p: Predictions): Metrics {
  const hw = p.h * p.w
  if (p.maps.length !== p.n * hw) throw new Error(`maps hold ${p.maps.length} values, expected ${p.n}x${p.h}x${p.w}`)
  const scores = p.imageScores ?? maxPerMap(p.maps, p.n, hw)
  const none = { pixel_auroc: null, pixel_ap: null, pixel_pro: null }
  return { ...imageMetrics(scores, p.labels), ...(p.masks ? pixelMetrics(p.maps, p.masks, p.n, p.h, p.w) : none) }
}
