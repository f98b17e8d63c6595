// How much of a data set's photos the model sees under a fit: a centre crop drops the ends of wide photos, and nobody should find that out late.
import { computeGeometry, type PreprocessOptions } from './geometry'

/** A photo size and how many photos have it. */
export interface PhotoSize {
  width: number
  height: number
  count: number
}

/** The photo size of which the model sees the least, and that share of its area (1: the whole photo). */
export function leastCovered(sizes: readonly PhotoSize[], pre: PreprocessOptions): { size: PhotoSize; visible: number } | null {
  let worst: { size: PhotoSize; visible: number } | null = null
  for (const size of sizes) {
    const visible = computeGeometry(size.width, size.height, pre).visibleFraction
    if (!worst || visible < worst.visible) worst = { size, visible }
  }
  return worst
}

/**
 * A sentence for the training form and `pbas train` when the fit leaves part of the photos unseen (no score,
 * no heat map, no verdict there), naming how much and what keeps it; null when the model sees every pixel.
 */
export function unseenWarning(sizes: readonly PhotoSize[], pre: PreprocessOptions): string | null {
  const w = leastCovered(sizes, pre)
  if (!w || w.visible >= 0.995) return null
  const { width, height } = w.size
  const unseen = Math.round((1 - w.visible) * 100)
  const side = width > height ? 'left and right ends' : 'top and bottom ends'
  return `the centre crop leaves ${unseen} % of each ${width} x ${height} photo unseen (its ${side}): no score, heat map or verdict there, so a defect there passes. Fit "stretch" or "pad" keeps the whole photo.`
}
