// The region's JSON form: what is inspected, what a bad file is told, and mask images as row runs.
import { describe, expect, it } from 'vitest'
import { bitmapOf, isInspected, parseRegion, regionMisfit, RegionError } from './region'
import { inputIgnored, inspectedShare, keptCells, patchMask } from './region-grid'
import { computeGeometry } from './geometry'

const region = (o: object) => parseRegion({ imageWidth: 200, imageHeight: 100, inspect: [], ignore: [], ...o }, 'r.json')

describe('inspection region', () => {
  it('inspects the inspect shapes minus the ignore shapes; no inspect shape means the whole photo', () => {
    const r = region({ inspect: [{ type: 'rect', x: 10, y: 10, width: 100, height: 50 }], ignore: [{ type: 'polygon', points: [[20, 20], [40, 20], [30, 40]] }] })
    expect(isInspected(r, 50, 50)).toBe(true)
    expect(isInspected(r, 5, 50)).toBe(false) // outside the rect
    expect(isInspected(r, 30, 25)).toBe(false) // inside the ignored triangle
    expect(isInspected(r, 21, 38)).toBe(true) // in the rect, beside the triangle
    const whole = region({ ignore: [{ type: 'rect', x: 0, y: 0, width: 50, height: 100 }] })
    expect(isInspected(whole, 150, 10)).toBe(true)
    expect(isInspected(whole, 49, 99)).toBe(false)
  })

  it('refuses a malformed file with the file and field named', () => {
    expect(() => parseRegion([], 'a.json')).toThrow(/a\.json is not a region/)
    expect(() => region({ ignore: [{ type: 'circle' }] })).toThrow('r.json: ignore[0]: unknown shape type "circle"')
    expect(() => region({ inspect: [{ type: 'rect', x: 0, y: 0, width: -1, height: 4 }] })).toThrow(RegionError)
    expect(() => region({ inspect: [{ type: 'polygon', points: [[0, 0], [1, 1]] }] })).toThrow(/at least three/)
    expect(() => region({ inspect: [{ type: 'rect', x: 150, y: 0, width: 100, height: 10 }] })).toThrow('r.json: a shape reaches outside the 200 x 100 photo it was drawn on')
  })

  it('says when a region does not fit a photo', () => {
    const r = region({ inspect: [{ type: 'rect', x: 100, y: 0, width: 100, height: 100 }] })
    expect(regionMisfit(r, 200, 100)).toBeNull()
    expect(regionMisfit(r, 400, 300)).toBeNull()
    expect(regionMisfit(r, 150, 100)).toMatch(/reaches 200 x 100 px, outside this 150 x 100 photo/)
  })

  it('stores a mask image as row runs and reads it back pixel for pixel', () => {
    const px = [0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0]
    const b = bitmapOf(4, 3, (i) => px[i] === 1)
    expect(b.runs).toEqual([[1, 3], [0, 4], []])
    const r = parseRegion({ imageWidth: 4, imageHeight: 3, inspect: [b], ignore: [] }, 'mask.png')
    for (let i = 0; i < 12; i++) expect(isInspected(r, (i % 4) + 0.5, Math.floor(i / 4) + 0.5)).toBe(px[i] === 1)
  })
})

describe('patch mask through the preprocessing geometry', () => {
  it('stretch: an ignored left half drops the left half of the grid', () => {
    const r = region({ ignore: [{ type: 'rect', x: 0, y: 0, width: 100, height: 100 }] })
    const m = patchMask(r, 200, 100, computeGeometry(200, 100, { fit: 'stretch', resize: 64, crop: 64 }), 8)
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) expect(m[i * 8 + j]).toBe(j < 4 ? 0 : 1)
    expect(keptCells(m).length).toBe(32)
    expect(inspectedShare(r, 200, 100)).toBeCloseTo(0.5, 5)
  })

  it('pad: the padding above and below a wide photo is never kept; crop: the mask follows the crop window', () => {
    const whole = region({})
    const pad = patchMask(whole, 200, 100, computeGeometry(200, 100, { fit: 'pad', resize: 64, crop: 64 }), 8)
    expect([...pad.slice(0, 16)].every((v) => v === 0)).toBe(true) // top two rows: padding
    expect([...pad.slice(24, 40)].every((v) => v === 1)).toBe(true)
    // crop of a 200 x 100 photo keeps x 50..150; a rect over x 0..100 ignores the crop's left half
    const r = region({ ignore: [{ type: 'rect', x: 0, y: 0, width: 100, height: 100 }] })
    const crop = patchMask(r, 200, 100, computeGeometry(200, 100, { fit: 'crop', resize: 64, crop: 64 }), 8)
    expect(Array.from(crop.slice(0, 8))).toEqual([0, 0, 0, 0, 1, 1, 1, 1])
  })

  it('input pixels left out, for pictures drawn on the network input: stretch maps the ignored left half onto the left half', () => {
    const r = region({ ignore: [{ type: 'rect', x: 0, y: 0, width: 100, height: 100 }] })
    const px = inputIgnored(r, 200, 100, computeGeometry(200, 100, { fit: 'stretch', resize: 16, crop: 16 }))
    for (let v = 0; v < 16; v++) for (let u = 0; u < 16; u++) expect(px[v * 16 + u]).toBe(u < 8 ? 1 : 0)
  })
})
