// Review overlays on raw pixels: heat map (optionally only above the review-band start), flagged-region and truth outlines.
// One implementation for the renderer's canvas (RGBA), the grid thumbnails and the report (RGB, in the main process).
import { colourAt } from '../colour-maps'

/** What a reviewer chose to see; the viewer, the grid and the report all follow it. */
export interface OverlayChoice {
  /** tint only pixels whose heat is at or above the review-band start (good regions stay untinted) */
  aboveReviewOnly: boolean
  /** outline the region whose heat is at or above the threshold */
  thresholdOutline: boolean
}

/** The default: the whole heat map, no flagged-region outline (as before these options existed). */
export const DEFAULT_OVERLAY: OverlayChoice = { aboveReviewOnly: false, thresholdOutline: false }

/** A choice as levels of the stored 8-bit heat maps (0..255 over the evaluation's map range); null = off. */
export interface OverlayLevels {
  heatFrom: number | null
  outlineAt: number | null
}

/** Colour of the ground-truth outline (magenta) and of the flagged-region outline (cyan): apart in hue and in grey. */
export const TRUTH_COLOUR: [number, number, number] = [255, 40, 160]
export const FLAGGED_COLOUR: [number, number, number] = [0, 240, 255]

/** A score as a level of the 8-bit heat map scaled from `range` (may fall outside 0..255). */
export function levelOf(score: number, range: { lo: number; hi: number }): number {
  return (255 * (score - range.lo)) / Math.max(1e-12, range.hi - range.lo)
}

/** The levels of a choice under a threshold (`value` fails, `review` starts the band). */
export function overlayLevels(choice: OverlayChoice, threshold: { value: number; review: number }, range: { lo: number; hi: number }): OverlayLevels {
  return {
    heatFrom: choice.aboveReviewOnly ? levelOf(threshold.review, range) : null,
    outlineAt: choice.thresholdOutline ? levelOf(threshold.value, range) : null,
  }
}

/** Blends the grey heat map (first channel of each `heatChannels` pixel) over `img` in place, from `heatFrom` up. */
export function blendHeat(img: Uint8Array | Uint8ClampedArray, channels: number, heat: ArrayLike<number>, heatChannels: number, map: string, opacity: number, heatFrom: number | null = null): void {
  const lut = Array.from({ length: 256 }, (_, v) => colourAt(map, v / 255))
  const n = img.length / channels
  for (let i = 0; i < n; i++) {
    const v = heat[i * heatChannels]
    if (heatFrom !== null && v < heatFrom) continue
    const c = lut[v]
    const p = i * channels
    for (let k = 0; k < 3; k++) img[p + k] = Math.round((1 - opacity) * img[p + k] + opacity * c[k])
  }
}

/**
 * Paints the border pixels of a region (`inside(pixel index)`) in `colour`, `lineWidth` pixels deep (a photo
 * shown scaled down needs a wider line to stay visible); returns how many were painted.
 */
export function outlineRegion(img: Uint8Array | Uint8ClampedArray, channels: number, width: number, height: number, inside: (i: number) => boolean, colour: [number, number, number], lineWidth = 1): number {
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && inside(y * width + x)
  const d = Math.max(1, Math.round(lineWidth))
  let edges = 0
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!on(x, y) || (on(x - d, y) && on(x + d, y) && on(x, y - d) && on(x, y + d))) continue
      const p = (y * width + x) * channels
      img[p] = colour[0]
      img[p + 1] = colour[1]
      img[p + 2] = colour[2]
      edges++
    }
  return edges
}

/** How far below its peak a failed part's hottest spot reaches, in levels of the 8-bit map (5 % of its range). */
const HOTTEST_SPOT = 0.05 * 255

/**
 * The level the flagged outline is drawn from on one part. The part's score is its largest raw patch score, while
 * its map is smoothed (Gaussian, sigma 4), which lowers a small defect's peak: a part can fail with no map pixel at
 * the threshold. Such a part's outline goes round its hottest spot (within 5 % of the colour range of the map's peak:
 * the peak alone is a pixel or two, too small to see), so a failed part always shows where it failed; a part below
 * the threshold gets none.
 */
export function flaggedLevel(outlineAt: number | null, heat: { data: ArrayLike<number>; channels: number }, partLevel: number | undefined): number | null {
  if (outlineAt === null || partLevel === undefined || partLevel < outlineAt) return outlineAt
  let peak = 0
  for (let i = 0; i < heat.data.length; i += heat.channels) if (heat.data[i] > peak) peak = heat.data[i]
  return Math.min(outlineAt, peak - HOTTEST_SPOT)
}

/** The full overlay: heat (from a level), then the flagged-region outline, then the ground-truth outline on top. */
export function paintOverlay(
  img: Uint8Array | Uint8ClampedArray, channels: number, width: number, height: number,
  heat: { data: ArrayLike<number>; channels: number }, mask: { data: ArrayLike<number>; channels: number } | null,
  /**
   * outlineHeat: the map the flagged outline is drawn from, when `heat` was smoothed in resampling (default `heat`);
   * partLevel: the part's own score as a level (levelOf), so a failed part is outlined (see flaggedLevel)
   */
  opts: { colourMap: string; opacity: number; levels: OverlayLevels; lineWidth?: number; outlineHeat?: { data: ArrayLike<number>; channels: number }; partLevel?: number },
): void {
  blendHeat(img, channels, heat.data, heat.channels, opts.colourMap, opts.opacity, opts.levels.heatFrom)
  const o = opts.outlineHeat ?? heat
  const at = flaggedLevel(opts.levels.outlineAt, o, opts.partLevel)
  if (at !== null) outlineRegion(img, channels, width, height, (i) => o.data[i * o.channels] >= at, FLAGGED_COLOUR, opts.lineWidth)
  if (mask) outlineRegion(img, channels, width, height, (i) => mask.data[i * mask.channels] > 127, TRUTH_COLOUR, opts.lineWidth)
}
