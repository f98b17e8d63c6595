// The region to inspect and the areas to ignore on a product's photos: its JSON form, validation and point test.

/** An axis-aligned rectangle in photo pixels (x right, y down, from the top-left corner). */
export interface RectShape {
  type: 'rect'
  x: number
  y: number
  width: number
  height: number
}

/** A closed polygon in photo pixels; at least three corners. */
export interface PolygonShape {
  type: 'polygon'
  points: [number, number][]
}

/**
 * A binary mask image as row runs: `runs[y]` lists [start, end) pairs of the inspected pixels of row y (a mask
 * image given to the CLI is stored this way, so a model folder holds one JSON format for every region).
 */
export interface BitmapShape {
  type: 'bitmap'
  width: number
  height: number
  runs: number[][]
}

export type RegionShape = RectShape | PolygonShape | BitmapShape

/**
 * What the detector inspects on each photo: inside any `inspect` shape (the whole photo when there is none)
 * and outside every `ignore` shape. Coordinates are photo pixels of the photo it was drawn on
 * (`imageWidth` x `imageHeight`); the same pixels are used on every photo of the product (a fixed camera).
 */
export interface InspectionRegion {
  imageWidth: number
  imageHeight: number
  inspect: RegionShape[]
  ignore: RegionShape[]
}

/** A region that cannot be used; the message says what is wrong and where. */
export class RegionError extends Error {}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function parseShape(s: unknown, where: string): RegionShape {
  if (!s || typeof s !== 'object') throw new RegionError(`${where} is not a shape object`)
  const o = s as Record<string, unknown>
  if (o.type === 'rect') {
    if (![o.x, o.y, o.width, o.height].every(num)) throw new RegionError(`${where}: a rect needs numbers x, y, width and height`)
    const r = { type: 'rect' as const, x: o.x as number, y: o.y as number, width: o.width as number, height: o.height as number }
    if (r.width <= 0 || r.height <= 0) throw new RegionError(`${where}: the rect is ${r.width} x ${r.height} px; width and height must be above 0`)
    return r
  }
  if (o.type === 'polygon') {
    const pts = o.points
    if (!Array.isArray(pts) || pts.length < 3 || !pts.every((p) => Array.isArray(p) && p.length === 2 && num(p[0]) && num(p[1])))
      throw new RegionError(`${where}: a polygon needs "points", a list of at least three [x, y] pairs`)
    return { type: 'polygon', points: pts.map((p) => [p[0] as number, p[1] as number]) }
  }
  if (o.type === 'bitmap') {
    const { width, height, runs } = o
    if (!num(width) || !num(height) || !Array.isArray(runs) || runs.length !== height || !runs.every((r) => Array.isArray(r) && r.length % 2 === 0 && r.every(num)))
      throw new RegionError(`${where}: a bitmap needs width, height and one list of [start, end) pairs per row`)
    return { type: 'bitmap', width, height, runs: runs as number[][] }
  }
  throw new RegionError(`${where}: unknown shape type ${JSON.stringify(o.type)} (use "rect" or "polygon")`)
}

/** Checks a region read from JSON; throws RegionError naming `source` and the field at fault. */
export function parseRegion(value: unknown, source: string): InspectionRegion {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new RegionError(`${source} is not a region: expected an object with imageWidth, imageHeight, inspect and ignore`)
  const o = value as Record<string, unknown>
  if (!num(o.imageWidth) || !num(o.imageHeight) || o.imageWidth < 1 || o.imageHeight < 1)
    throw new RegionError(`${source}: imageWidth and imageHeight (the size of the photo the region was drawn on) must be positive numbers`)
  const list = (k: 'inspect' | 'ignore') => {
    const v = o[k] ?? []
    if (!Array.isArray(v)) throw new RegionError(`${source}: "${k}" must be a list of shapes`)
    return v.map((s, i) => parseShape(s, `${source}: ${k}[${i}]`))
  }
  const region = { imageWidth: o.imageWidth, imageHeight: o.imageHeight, inspect: list('inspect'), ignore: list('ignore') }
  const b = regionBounds(region)
  if (b && (b.right > region.imageWidth + 0.5 || b.bottom > region.imageHeight + 0.5 || b.left < -0.5 || b.top < -0.5))
    throw new RegionError(`${source}: a shape reaches outside the ${region.imageWidth} x ${region.imageHeight} photo it was drawn on`)
  return region
}

function shapeBounds(s: RegionShape): { left: number; top: number; right: number; bottom: number } {
  if (s.type === 'rect') return { left: s.x, top: s.y, right: s.x + s.width, bottom: s.y + s.height }
  if (s.type === 'bitmap') return { left: 0, top: 0, right: s.width, bottom: s.height }
  const xs = s.points.map((p) => p[0])
  const ys = s.points.map((p) => p[1])
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) }
}

/** The box around every shape of the region (null for a region without shapes). */
export function regionBounds(r: InspectionRegion): { left: number; top: number; right: number; bottom: number } | null {
  const all = [...r.inspect, ...r.ignore].map(shapeBounds)
  if (!all.length) return null
  return {
    left: Math.min(...all.map((b) => b.left)),
    top: Math.min(...all.map((b) => b.top)),
    right: Math.max(...all.map((b) => b.right)),
    bottom: Math.max(...all.map((b) => b.bottom)),
  }
}

/** Null when the region fits a `width` x `height` photo, else why not (for an error that names the photo). */
export function regionMisfit(r: InspectionRegion, width: number, height: number): string | null {
  const b = regionBounds(r)
  if (!b || (b.right <= width + 0.5 && b.bottom <= height + 0.5)) return null
  return `the region to inspect was drawn on a ${r.imageWidth} x ${r.imageHeight} photo and reaches ${Math.ceil(b.right)} x ${Math.ceil(b.bottom)} px, outside this ${width} x ${height} photo; use photos of the product's size or redraw the region`
}

function inPolygon(pts: [number, number][], x: number, y: number): boolean {
  let inside = false
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]
    const [xj, yj] = pts[j]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

function inRuns(runs: number[], x: number): boolean {
  for (let k = 0; k < runs.length; k += 2) if (x >= runs[k] && x < runs[k + 1]) return true
  return false
}

function inShape(s: RegionShape, x: number, y: number): boolean {
  if (s.type === 'rect') return x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height
  if (s.type === 'polygon') return inPolygon(s.points, x, y)
  const row = Math.floor(y)
  return row >= 0 && row < s.height && inRuns(s.runs[row], Math.floor(x))
}

/** Whether photo pixel position (x, y) is inspected. */
export function isInspected(r: InspectionRegion, x: number, y: number): boolean {
  if (r.inspect.length && !r.inspect.some((s) => inShape(s, x, y))) return false
  return !r.ignore.some((s) => inShape(s, x, y))
}

/** Row runs of a binary mask (`inspected(i)` for pixel i, row-major): the bitmap shape of a mask image. */
export function bitmapOf(width: number, height: number, inspected: (i: number) => boolean): BitmapShape {
  const runs: number[][] = []
  for (let y = 0; y < height; y++) {
    const row: number[] = []
    let start = -1
    for (let x = 0; x <= width; x++) {
      const on = x < width && inspected(y * width + x)
      if (on && start < 0) start = x
      else if (!on && start >= 0) row.push(start, x), (start = -1)
    }
    runs.push(row)
  }
  return { type: 'bitmap', width, height, runs }
}
