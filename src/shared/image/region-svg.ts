// A region's shapes as SVG elements on a photo shown at some scale: one drawing for the region editor and the viewer.
import type { InspectionRegion, RegionShape } from './region'

/** One shape to draw: an SVG element name and its geometry attributes, in displayed photo pixels. */
export type SvgShape =
  | { tag: 'rect'; x: number; y: number; width: number; height: number }
  | { tag: 'polygon'; points: string }
  | { tag: 'path'; d: string }

/** `s` scaled by `k` (displayed photo pixels per photo pixel); a bitmap becomes one rectangle per row run. */
export function svgShape(s: RegionShape, k: number): SvgShape {
  if (s.type === 'rect') return { tag: 'rect', x: s.x * k, y: s.y * k, width: s.width * k, height: s.height * k }
  if (s.type === 'polygon') return { tag: 'polygon', points: s.points.map(([x, y]) => `${x * k},${y * k}`).join(' ') }
  const d: string[] = []
  s.runs.forEach((r, y) => {
    for (let i = 0; i < r.length; i += 2) d.push(`M${r[i] * k},${y * k}h${(r[i + 1] - r[i]) * k}v${k}h${-(r[i + 1] - r[i]) * k}z`)
  })
  return { tag: 'path', d: d.join('') }
}

/**
 * What a viewer draws as ignored: everything outside the inspect shapes (drawn as a mask's holes, so overlapping
 * shapes stay correct) and every ignore shape.
 */
export function ignoredDrawing(r: InspectionRegion, k: number): { holes: SvgShape[] | null; ignored: SvgShape[] } {
  return { holes: r.inspect.length ? r.inspect.map((s) => svgShape(s, k)) : null, ignored: r.ignore.map((s) => svgShape(s, k)) }
}
