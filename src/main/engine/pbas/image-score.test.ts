import { describe, expect, it } from 'vitest'
import { imageScore } from './image-score'

describe('imageScore (Eq. 11)', () => {
  it('is the largest patch score', () => {
    expect(imageScore(Float32Array.of(0.1, 0.7, 0.3), 'a.png')).toBeCloseTo(0.7)
  })

  it('refuses a NaN or infinite patch wherever it sits, naming the image (calibration and inference use this one rule)', () => {
    for (const bad of [Float32Array.of(NaN, 0.2), Float32Array.of(0.2, NaN), Float32Array.of(0.1, Infinity), new Float32Array(0)])
      expect(() => imageScore(bad, 'line/part-7.png')).toThrow(/non-finite score .* for line\/part-7\.png/)
  })
})
