// Heat-map overlays and the mask contour for canvas ImageData; the colour maps themselves live in src/shared.
import { COLOUR_MAPS, colourAt } from '../../../shared/colour-maps'

export { COLOUR_MAPS, colourAt }

/** CSS gradient of a map, for the legend. */
export function gradientCss(map: string): string {
  const stops = COLOUR_MAPS[map] ?? COLOUR_MAPS.viridis
  return `linear-gradient(to right, ${stops.map((c, i) => `rgb(${c.join(',')}) ${(100 * i) / (stops.length - 1)}%`).join(', ')})`
}

/**
 * Blends a grey heat map (RGBA, value in the red channel) over an image (RGBA), in place on `image`.
 * `opacity` scales with the heat so quiet regions stay readable.
 */
export function blendHeat(image: Uint8ClampedArray, heat: Uint8ClampedArray, map: string, opacity: number): void {
  const lut = Array.from({ length: 256 }, (_, v) => colourAt(map, v / 255))
  for (let p = 0; p < image.length; p += 4) {
    const c = lut[heat[p]]
    for (let k = 0; k < 3; k++) image[p + k] = Math.round((1 - opacity) * image[p + k] + opacity * c[k])
  }
}

/** Paints the outline of a binary mask (RGBA, red channel > 127 = defect) onto `image` in a contrasting colour. */
export function drawContour(image: Uint8ClampedArray, mask: Uint8ClampedArray, width: number, height: number, colour: [number, number, number] = [255, 40, 160]): number {
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[(y * width + x) * 4] > 127
  let edges = 0
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!on(x, y) || (on(x - 1, y) && on(x + 1, y) && on(x, y - 1) && on(x, y + 1))) continue
      const p = (y * width + x) * 4
      image[p] = colour[0]
      image[p + 1] = colour[1]
      image[p + 2] = colour[2]
      edges++
    }
  return edges
}
