import { describe, expect, it } from 'vitest'
import { governingSide, inputSizeFor, smallestDefectPx } from './defect-size'

describe('defect size', () => {
  it('scales one 8 px feature cell of the input back to the photo', () => {
    // MVTec bottle: 900 px photos at 256 px input: a cell covers about 28 photo pixels.
    expect(smallestDefectPx(900, 256)).toBeCloseTo(28.125)
    expect(smallestDefectPx(192, 64)).toBe(24)
  })
  it('picks the smallest input (multiple of 32, 64 to 512) that sees the defect, and round-trips', () => {
    expect(inputSizeFor(28.125, 900)).toBe(256)
    expect(inputSizeFor(20, 900)).toBe(384)
    expect(inputSizeFor(1, 900)).toBe(512)
    expect(inputSizeFor(500, 900)).toBe(64)
    for (const n of [64, 128, 256, 512]) expect(inputSizeFor(smallestDefectPx(900, n), 900)).toBe(n)
  })
  it('takes the most common photo size, by its shorter side under a centre crop and its longer side otherwise', () => {
    const sizes = [{ width: 900, height: 900, count: 3 }, { width: 1024, height: 768, count: 10 }]
    expect(governingSide(sizes, 'crop')).toBe(768)
    // A wide photo padded or stretched to the square input is scaled by its longer side: coarser cells.
    expect(governingSide(sizes, 'stretch')).toBe(1024)
    expect(governingSide(sizes, 'pad')).toBe(1024)
    expect(governingSide([], 'crop')).toBeNull()
  })
})
