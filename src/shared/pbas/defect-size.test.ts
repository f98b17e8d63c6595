import { describe, expect, it } from 'vitest'
import { governingSide, inputSizeFor, needsTiles, smallestDefectPx, tileSideFor } from './defect-size'

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
  it('with tiles, the tile side is what the input sees: native tiles find defects of one cell of the photo itself', () => {
    const pitting = [{ width: 576, height: 234, count: 553 }]
    expect(governingSide(pitting, 'tile', { tileSide: 0, imageSize: 256 })).toBe(256)
    expect(smallestDefectPx(governingSide(pitting, 'tile', { tileSide: 0, imageSize: 256 })!, 256)).toBe(8)
    // A tile side larger than the photo is the photo.
    expect(governingSide(pitting, 'tile', { tileSide: 2000, imageSize: 256 })).toBe(576)
    // A 3 px pit needs tiles of 96 photo pixels at 256 px (each photo pixel about 2.7 input pixels).
    expect(tileSideFor(3, 256)).toBe(96)
    expect(smallestDefectPx(tileSideFor(3, 256), 256)).toBe(3)
  })
  it('asks for tiles only where no input up to 512 px resolves the defect', () => {
    // 576 px stretched to 512: a cell is 9 photo pixels; a 10 px defect fits one input, a 5 px one does not.
    expect(needsTiles(10, 576)).toBe(false)
    expect(needsTiles(5, 576)).toBe(true)
    expect(needsTiles(28, 900)).toBe(false)
  })
})
