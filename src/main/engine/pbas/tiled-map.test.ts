// A tiled photo's map: the per-axis operators equal Eq. 12 per tile, stitched and resampled, and refuse a wrong tile count.
import { describe, expect, it } from 'vitest'
import { anomalyMap } from './anomaly-map'
import { tiledAnomalyMap, tiledMapOperators } from './tiled-map'
import { stitchMaps, tileGrid, tilesOf } from '../image/tiles'
import { resizeMap } from '../util/bilinear'

describe('tiled anomaly map', () => {
  const S = 32
  it("a tiled photo's map (one operator per axis) is each tile's Eq. 12 map, stitched, then resampled onto the whole photo", () => {
    const g = 8
    const grid = tileGrid(150, 70, 64)
    const n = tilesOf(grid).length
    expect(n).toBe(6)
    const scores = Float32Array.from({ length: n * g * g }, (_, i) => Math.sin(i * 0.37) + (i % 5) * 0.1)
    const direct = resizeMap(stitchMaps(Array.from({ length: n }, (_, k) => anomalyMap(scores.subarray(k * g * g, (k + 1) * g * g), g, S, 2)), grid, S), 70, 150, S, S)
    const fast = tiledAnomalyMap(scores, tiledMapOperators(grid, g, S, 2))
    let worst = 0
    for (let i = 0; i < direct.length; i++) worst = Math.max(worst, Math.abs(direct[i] - fast[i]))
    expect(worst).toBeLessThan(1e-5)
  })

  it('refuses patch scores of another tile count', () => {
    expect(() => tiledAnomalyMap(new Float32Array(10), tiledMapOperators(tileGrid(150, 70, 64), 8, S, 2))).toThrow(/10 patch scores for 6 tiles/)
  })
})
