// The smallest defect a model can find, in the photo's pixels, and the input size that finds a given one.
import type { Fit } from './parameters'

/**
 * Input pixels per cell of the patch features (the paper's layer2 of ResNet/WRN has stride 8; layer3 is
 * upsampled onto it). A defect of about one cell raises its patch's score; smaller ones are averaged away.
 */
export const FEATURE_CELL_PX = 8

/** Input sizes the form offers (multiples of 32, as the backbones need). */
export const INPUT_SIZES = { min: 64, max: 512, step: 32 } as const

/** Smallest defect the model sees, in photo pixels: one feature cell of the input, scaled back to the photo (`photoSide`: governingSide's). */
export function smallestDefectPx(photoSide: number, inputSide: number): number {
  return (FEATURE_CELL_PX * photoSide) / inputSide
}

/**
 * True when no single input up to INPUT_SIZES.max has a feature cell as small as `defectPx` photo pixels on a
 * `photoSide` px side: only tiles (the photo's own resolution, or finer) can see such a defect.
 */
export function needsTiles(defectPx: number, photoSide: number): boolean {
  return (FEATURE_CELL_PX * photoSide) / Math.max(1e-9, defectPx) > INPUT_SIZES.max
}

/** The input size (resize = crop) whose feature cell is no larger than `defectPx` photo pixels, within INPUT_SIZES. */
export function inputSizeFor(defectPx: number, photoSide: number): number {
  const want = (FEATURE_CELL_PX * photoSide) / Math.max(1e-9, defectPx)
  const n = Math.ceil(want / INPUT_SIZES.step) * INPUT_SIZES.step
  return Math.min(INPUT_SIZES.max, Math.max(INPUT_SIZES.min, n))
}

/**
 * The photo side the input size applies to, for the most common photo size (null when the data set lists
 * none): a centre crop scales the shorter side to the input, padding and stretching scale the longer one, and
 * tiles scale their own side (`tileSide` photo pixels; 0: the input size, the photo's own resolution).
 */
export function governingSide(sizes: readonly { width: number; height: number; count: number }[], fit: Fit, tile?: { tileSide: number; imageSize: number }): number | null {
  const top = mostCommon(sizes)
  if (!top) return null
  if (fit === 'tile' && tile) return Math.min(tile.tileSide || tile.imageSize, Math.max(top.width, top.height))
  return fit === 'crop' ? Math.min(top.width, top.height) : Math.max(top.width, top.height)
}

/** The most common photo size of a data set's summary, or null. */
export function mostCommon<T extends { count: number }>(sizes: readonly T[]): T | null {
  return [...sizes].sort((a, b) => b.count - a.count)[0] ?? null
}

/** The tile side (photo pixels) whose feature cell is no larger than `defectPx` photo pixels at an input of `inputSide`. */
export function tileSideFor(defectPx: number, inputSide: number): number {
  return Math.max(8, Math.round((inputSide * defectPx) / FEATURE_CELL_PX))
}
