// Heat-map overlays and contours for canvas ImageData (RGBA); the colour maps and the overlay maths live in src/shared.
import { COLOUR_MAPS, colourAt } from '../../../shared/colour-maps'
import { blendHeat as blend, outlineRegion, TRUTH_COLOUR } from '../../../shared/review/overlay'

export { COLOUR_MAPS, colourAt }

/** CSS gradient of a map, for the legend. */
export function gradientCss(map: string): string {
  const stops = COLOUR_MAPS[map] ?? COLOUR_MAPS.viridis
  return `linear-gradient(to right, ${stops.map((c, i) => `rgb(${c.join(',')}) ${(100 * i) / (stops.length - 1)}%`).join(', ')})`
}

/** Blends a grey heat map (RGBA, value in the red channel) over an image (RGBA), in place on `image`. */
export function blendHeat(image: Uint8ClampedArray, heat: Uint8ClampedArray, map: string, opacity: number): void {
  blend(image, 4, heat, 4, map, opacity)
}

/** Paints the outline of a binary mask (RGBA, red channel > 127 = defect) onto `image` in a contrasting colour. */
export function drawContour(image: Uint8ClampedArray, mask: Uint8ClampedArray, width: number, height: number, colour: [number, number, number] = TRUTH_COLOUR): number {
  return outlineRegion(image, 4, width, height, (i) => mask[i * 4] > 127, colour)
}
