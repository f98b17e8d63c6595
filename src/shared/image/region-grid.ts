// Which cells of the network's patch grid a region inspects, through the photo's preprocessing geometry.
import { inputWindow, type Geometry } from './geometry'
import { isInspected, type InspectionRegion } from './region'
import type { Tile } from './tile-grid'

/** A window of photo pixels that a size x size network input covers (the fit's, or a tile's). */
interface InputWindow {
  x: number
  y: number
  w: number
  h: number
  size: number
}

/**
 * Whether the network input's point (u, v) (input pixels, fractional) is inspected: mapped to the photo along the
 * window the input covers; points over padding, outside the photo, never are.
 */
function inputInspection(region: InspectionRegion, width: number, height: number, win: InputWindow): (u: number, v: number) => boolean {
  return (u, v) => {
    const x = win.x + (u / win.size) * win.w
    const y = win.y + (v / win.size) * win.h
    return x >= 0 && y >= 0 && x < width && y < height && isInspected(region, x, y)
  }
}

const windowOf = (width: number, height: number, g: Geometry): InputWindow => ({ ...inputWindow(width, height, g), size: g.size })

/** Sample points per cell side: a cell is kept when at least half of its 4 x 4 points are inspected. */
const SAMPLES = 4

/** The grid x grid mask of one input window. */
function windowMask(region: InspectionRegion, width: number, height: number, win: InputWindow, grid: number): Uint8Array {
  const inspectedAt = inputInspection(region, width, height, win)
  const cell = win.size / grid
  const out = new Uint8Array(grid * grid)
  for (let i = 0; i < grid; i++)
    for (let j = 0; j < grid; j++) {
      let hits = 0
      for (let a = 0; a < SAMPLES; a++) for (let b = 0; b < SAMPLES; b++) if (inspectedAt((j + (b + 0.5) / SAMPLES) * cell, (i + (a + 0.5) / SAMPLES) * cell)) hits++
      out[i * grid + j] = hits * 2 >= SAMPLES * SAMPLES ? 1 : 0
    }
  return out
}

/**
 * The grid x grid patch mask (1 = scored and trained on, row-major) of a `width` x `height` photo whose
 * network input follows geometry `g`. Cells over padding (outside the photo) are never kept.
 */
export function patchMask(region: InspectionRegion, width: number, height: number, g: Geometry, grid: number): Uint8Array {
  return windowMask(region, width, height, windowOf(width, height, g), grid)
}

/** A tiled photo's patch mask: each tile's grid x grid mask (its window resized to a size x size input), tile after tile. */
export function tiledPatchMask(region: InspectionRegion, width: number, height: number, tiles: readonly Tile[], size: number, grid: number): Uint8Array {
  const out = new Uint8Array(tiles.length * grid * grid)
  tiles.forEach((t, k) => out.set(windowMask(region, width, height, { ...t, size }, grid), k * grid * grid))
  return out
}

/** Indices of the kept cells, in row-major order. */
export function keptCells(mask: Uint8Array): Int32Array {
  const out: number[] = []
  mask.forEach((m, k) => m && out.push(k))
  return Int32Array.from(out)
}

/** The share of the photo's area the region inspects (sampled on a 64 x 64 lattice), for forms and warnings. */
export function inspectedShare(region: InspectionRegion, width: number, height: number): number {
  const n = 64
  let hits = 0
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (isInspected(region, ((b + 0.5) / n) * width, ((a + 0.5) / n) * height)) hits++
  return hits / (n * n)
}

/** The network input's pixels (size x size, row-major) that the region leaves out, for pictures drawn on the input. */
export function inputIgnored(region: InspectionRegion, width: number, height: number, g: Geometry): Uint8Array {
  const inspectedAt = inputInspection(region, width, height, windowOf(width, height, g))
  const S = g.size
  const out = new Uint8Array(S * S)
  for (let v = 0; v < S; v++) for (let u = 0; u < S; u++) out[v * S + u] = inspectedAt(u + 0.5, v + 0.5) ? 0 : 1
  return out
}
