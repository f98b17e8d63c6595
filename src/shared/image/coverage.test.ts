// The unseen share of photos under each fit, and the warning that names it.
import { describe, expect, it } from 'vitest'
import { leastCovered, unseenWarning } from './coverage'
import { computeGeometry } from './geometry'

const pitting = [{ width: 576, height: 234, count: 401 }]
const square = [{ width: 900, height: 900, count: 209 }]

describe('coverage', () => {
  it('a centre crop of a 576 x 234 photo at 256 px sees 41 % of it; pad and stretch see all of it', () => {
    // Resized to 630 x 256 (shorter side 256, torchvision truncates), 256 x 256 kept: 256 / 630.
    expect(leastCovered(pitting, { fit: 'crop', resize: 256, crop: 256 })!.visible).toBeCloseTo(256 / 630, 6)
    expect(leastCovered(pitting, { fit: 'pad', resize: 256, crop: 256 })!.visible).toBe(1)
    expect(leastCovered(pitting, { fit: 'stretch', resize: 256, crop: 256 })!.visible).toBe(1)
    expect(leastCovered([], { fit: 'crop', resize: 256, crop: 256 })).toBeNull()
  })
  it('warns with the unseen share and the way out only when something is unseen', () => {
    expect(unseenWarning(pitting, { fit: 'crop', resize: 256, crop: 256 })).toBe(
      'the centre crop leaves 59 % of each 576 x 234 photo unseen (its left and right ends): no score, heat map or verdict there, so a defect there passes. Fit "stretch" or "pad" keeps the whole photo.',
    )
    expect(unseenWarning(square, { fit: 'crop', resize: 256, crop: 256 })).toBeNull()
    expect(unseenWarning(pitting, { fit: 'stretch', resize: 256, crop: 256 })).toBeNull()
    // The least covered size is named when sizes are mixed; a tall photo loses its top and bottom.
    expect(unseenWarning([...square, { width: 300, height: 600, count: 1 }], { fit: 'crop', resize: 256, crop: 256 })).toContain('50 % of each 300 x 600 photo unseen (its top and bottom ends)')
  })
  it('a square photo gets the same input under every fit: changing the default fit leaves square products as they were', () => {
    const crop = computeGeometry(900, 900, { fit: 'crop', resize: 256, crop: 256 })
    for (const fit of ['pad', 'stretch'] as const) expect(computeGeometry(900, 900, { fit, resize: 256, crop: 256 })).toEqual(crop)
  })
})
