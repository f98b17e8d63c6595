// Tile layout covers every photo pixel with the promised overlap; stitching is seamless and keeps a hot spot in place.
import { describe, expect, it } from 'vitest'
import { stitchMaps, tileGrid, tileLayout, tilesOf } from './tiles'

describe('tile layout', () => {
  it('covers a 576 x 234 photo with native 256 px tiles: three across, one down, overlapping by at least a quarter', () => {
    const t = tileLayout(576, 234, 256)
    expect(t.map((x) => [x.x, x.y, x.w, x.h])).toEqual([[0, 0, 256, 234], [160, 0, 256, 234], [320, 0, 256, 234]])
    for (let k = 1; k < t.length; k++) expect(t[k - 1].x + t[k - 1].w - t[k].x).toBeGreaterThanOrEqual(64)
  })

  it('covers every pixel of odd sizes, first tile at 0 and last at the edge; a photo smaller than a tile is one tile', () => {
    for (const [w, h, side] of [[1000, 700, 256], [257, 513, 128], [100, 60, 256]] as const) {
      const t = tileLayout(w, h, side, 0.2)
      const hit = new Uint8Array(w * h)
      for (const x of t) for (let y = x.y; y < x.y + x.h; y++) for (let i = x.x; i < x.x + x.w; i++) hit[y * w + i] = 1
      expect(hit.every((v) => v === 1)).toBe(true)
      expect(Math.max(...t.map((x) => x.x + x.w))).toBe(w)
      expect(Math.max(...t.map((x) => x.y + x.h))).toBe(h)
    }
    expect(tileLayout(100, 60, 256)).toEqual([{ x: 0, y: 0, w: 100, h: 60 }])
  })

  it('refuses a tile side or overlap that cannot work', () => {
    expect(() => tileLayout(100, 100, 4)).toThrow(/side of at least 8/)
    expect(() => tileLayout(100, 100, 64, 1)).toThrow(/overlap/)
  })
})

describe('stitching', () => {
  const S = 32
  it('a constant map stitches to the same constant everywhere (no seams)', () => {
    const grid = tileGrid(300, 120, 100)
    const out = stitchMaps(tilesOf(grid).map(() => new Float32Array(S * S).fill(0.7)), grid, S)
    expect(out.length).toBe(300 * 120)
    for (const v of out) expect(v).toBeCloseTo(0.7, 6)
  })

  it('a single hot patch in one tile lands at the right photo pixel', () => {
    const grid = tileGrid(300, 120, 100)
    const tiles = tilesOf(grid)
    const k = 2
    const maps = tiles.map(() => new Float32Array(S * S))
    // input pixel (20, 10) of tile k: photo pixel tile.x + (20 + 0.5) * w / S - 0.5, likewise in y
    maps[k][10 * S + 20] = 1
    const out = stitchMaps(maps, grid, S)
    let at = 0
    for (let i = 1; i < out.length; i++) if (out[i] > out[at]) at = i
    const t = tiles[k]
    expect(Math.abs((at % 300) - (t.x + ((20 + 0.5) * t.w) / S - 0.5))).toBeLessThanOrEqual(2)
    expect(Math.abs(Math.floor(at / 300) - (t.y + ((10 + 0.5) * t.h) / S - 0.5))).toBeLessThanOrEqual(2)
  })
})
