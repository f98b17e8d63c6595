import { describe, expect, it } from 'vitest'
import { PatchSampler } from './patch-sampler'

// Row r of image i holds the value 1000 i + r in every column, so each kept row names its image and patch.
const batch = (images: number, P: number, D: number) => {
  const x = new Float32Array(images * P * D)
  for (let i = 0; i < images; i++) for (let r = 0; r < P; r++) x.fill(1000 * i + r, (i * P + r) * D, (i * P + r + 1) * D)
  return x
}

describe('PatchSampler', () => {
  it('keeps the share of each image’s own patches, whole rows, no patch twice', () => {
    const [P, D] = [100, 3]
    const s = new PatchSampler(P, D, 0.25, 4, 7)
    expect(s.keep).toBe(25)
    const out = s.sample(batch(3, P, D), 3, 1)
    expect(out.length).toBe(3 * 25 * D)
    for (let i = 0; i < 3; i++) {
      const rows = Array.from({ length: 25 }, (_, k) => out[(i * 25 + k) * D])
      for (let k = 0; k < 25; k++) expect(out[(i * 25 + k) * D + 2]).toBe(rows[k])
      expect(new Set(rows).size).toBe(25)
      for (const v of rows) expect(Math.floor(v / 1000)).toBe(i)
    }
  })

  it('draws a new subset each step, the same one for the same seed and step', () => {
    const x = batch(2, 64, 2)
    const rows = (s: PatchSampler, step: number) => Array.from(s.sample(x, 2, step).filter((_, k) => k % 2 === 0))
    const a = new PatchSampler(64, 2, 0.5, 2, 3)
    const b = new PatchSampler(64, 2, 0.5, 2, 3)
    expect(rows(a, 5)).toEqual(rows(b, 5))
    expect(rows(a, 6)).not.toEqual(rows(a, 5))
    expect(rows(new PatchSampler(64, 2, 0.5, 2, 4), 5)).not.toEqual(rows(a, 5))
  })
})
