import { describe, expect, it } from 'vitest'
import { contourSegments, densityGrid } from './density'

describe('density contours', () => {
  it('draws a closed ring around a round cloud, at the expected radius, and nothing above the peak', () => {
    // Points on a fine lattice inside a disc of radius 2 around (1, -1): a flat-topped round density.
    const pts: [number, number][] = []
    for (let x = -3; x <= 3; x += 0.05) for (let y = -3; y <= 3; y += 0.05) if (x * x + y * y <= 4) pts.push([1 + x, -1 + y])
    const g = densityGrid(pts, { x: [-4, 6], y: [-6, 4] }, 50, 1)
    const max = Math.max(...g.values)
    const segs = contourSegments(g, max / 2)
    expect(segs.length).toBeGreaterThan(20)
    for (const [x1, y1] of segs) expect(Math.hypot(x1 - 1, y1 + 1)).toBeCloseTo(2, 0)
    // Closed: every endpoint is shared by exactly two segments.
    const key = (x: number, y: number) => `${x.toFixed(6)},${y.toFixed(6)}`
    const count = new Map<string, number>()
    for (const [a, b, c, d] of segs) for (const k of [key(a, b), key(c, d)]) count.set(k, (count.get(k) ?? 0) + 1)
    expect([...count.values()].every((c) => c === 2)).toBe(true)
    expect(contourSegments(g, max * 1.01)).toEqual([])
  })
})
