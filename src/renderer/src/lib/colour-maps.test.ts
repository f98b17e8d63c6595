import { describe, expect, it } from 'vitest'
import { blendHeat, colourAt, drawContour, gradientCss } from './colour-maps'

describe('colour maps', () => {
  it('runs from the first to the last key colour', () => {
    expect(colourAt('viridis', 0)).toEqual([68, 1, 84])
    expect(colourAt('viridis', 1)).toEqual([253, 231, 37])
    expect(colourAt('viridis', 2)).toEqual([253, 231, 37])
    expect(colourAt('nope', 0)).toEqual([68, 1, 84])
    expect(gradientCss('jet')).toMatch(/^linear-gradient\(to right, rgb\(0,0,131\) 0%/)
  })

  it('blends by opacity and outlines only the border of a mask', () => {
    const img = new Uint8ClampedArray([100, 100, 100, 255])
    blendHeat(img, new Uint8ClampedArray([255, 255, 255, 255]), 'viridis', 0.5)
    expect(Array.from(img.slice(0, 3))).toEqual([177, 166, 69])
    // A 3x3 block inside 5x5: 8 border pixels, the centre is not an edge.
    const w = 5
    const mask = new Uint8ClampedArray(w * w * 4)
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) mask[(y * w + x) * 4] = 255
    const out = new Uint8ClampedArray(w * w * 4)
    expect(drawContour(out, mask, w, w)).toBe(8)
    expect(out[(2 * w + 2) * 4]).toBe(0)
    expect(out[(1 * w + 1) * 4]).toBe(255)
  })
})
