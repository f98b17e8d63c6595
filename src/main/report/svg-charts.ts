// Small dependency-free SVG charts for self-contained reports (curves and score histograms).
import type { Histogram } from '../../shared/review/threshold-stats'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const fmt = (v: number) => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2))

/** One line of a line chart. */
export interface Series {
  name: string
  colour: string
  points: [number, number][]
}

interface Frame {
  width: number
  height: number
  x: [number, number]
  y: [number, number]
  xLabel: string
  yLabel: string
  /** ticks on whole numbers (epochs) */
  integerX?: boolean
}

const M = { l: 52, r: 12, t: 12, b: 40 }

function frame(f: Frame, body: (sx: (v: number) => number, sy: (v: number) => number) => string, legend: string[] = []): string {
  const w = f.width - M.l - M.r
  const h = f.height - M.t - M.b
  const sx = (v: number) => M.l + ((v - f.x[0]) / (f.x[1] - f.x[0] || 1)) * w
  const sy = (v: number) => M.t + h - ((v - f.y[0]) / (f.y[1] - f.y[0] || 1)) * h
  const ticks = (r: [number, number]) => Array.from({ length: 5 }, (_, i) => r[0] + (i * (r[1] - r[0])) / 4)
  const whole = (r: [number, number]) => {
    const step = Math.max(1, Math.ceil((r[1] - r[0]) / 5))
    return Array.from({ length: Math.floor((r[1] - r[0]) / step) + 1 }, (_, i) => Math.ceil(r[0]) + i * step).filter((v) => v <= r[1])
  }
  const grid = [
    ...(f.integerX ? whole(f.x) : ticks(f.x)).map((v) => `<line x1="${sx(v)}" y1="${M.t}" x2="${sx(v)}" y2="${M.t + h}" stroke="#e4e7eb"/><text x="${sx(v)}" y="${M.t + h + 14}" text-anchor="middle">${f.integerX ? String(v) : fmt(v)}</text>`),
    ...ticks(f.y).map((v) => `<line x1="${M.l}" y1="${sy(v)}" x2="${M.l + w}" y2="${sy(v)}" stroke="#e4e7eb"/><text x="${M.l - 4}" y="${sy(v) + 4}" text-anchor="end">${fmt(v)}</text>`),
  ].join('')
  const labels = `<text x="${M.l + w / 2}" y="${f.height - 6}" text-anchor="middle">${esc(f.xLabel)}</text><text transform="translate(12 ${M.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(f.yLabel)}</text>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="10" fill="#323f4b">${grid}<rect x="${M.l}" y="${M.t}" width="${w}" height="${h}" fill="none" stroke="#9aa5b1"/>${body(sx, sy)}${labels}${legend.join('')}</svg>`
}

function legendItems(items: { name: string; colour: string }[], width: number): string[] {
  return items.map((s, i) => `<rect x="${width - M.r - 120}" y="${M.t + 6 + i * 14}" width="10" height="10" fill="${s.colour}"/><text x="${width - M.r - 106}" y="${M.t + 15 + i * 14}">${esc(s.name)}</text>`)
}

/** A line chart; the axes span the data unless given. */
export function lineChart(series: Series[], opts: { xLabel: string; yLabel: string; width?: number; height?: number; x?: [number, number]; y?: [number, number]; integerX?: boolean }): string {
  const all = series.flatMap((s) => s.points)
  const span = (k: 0 | 1): [number, number] => (all.length ? [Math.min(...all.map((p) => p[k])), Math.max(...all.map((p) => p[k]))] : [0, 1])
  const f: Frame = { width: opts.width ?? 420, height: opts.height ?? 260, x: opts.x ?? span(0), y: opts.y ?? span(1), xLabel: opts.xLabel, yLabel: opts.yLabel, integerX: opts.integerX }
  return frame(
    f,
    (sx, sy) => series.map((s) => `<polyline fill="none" stroke="${s.colour}" stroke-width="1.8" points="${s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`).join(''),
    legendItems(series, f.width),
  )
}

/** A stacked score histogram with the threshold (solid) and the review band's lower edge (dashed). */
export function histogramChart(h: Histogram, threshold: number, review: number, opts: { width?: number; height?: number } = {}): string {
  const classes = [
    { name: 'good', colour: '#3f9142', counts: h.good },
    { name: 'defective', colour: '#c5221f', counts: h.defect },
    { name: 'unlabelled', colour: '#7b8794', counts: h.other },
  ].filter((c) => c.counts.some((n) => n > 0))
  const top = Math.max(1, ...h.good.map((_, i) => h.good[i] + h.defect[i] + h.other[i]))
  const f: Frame = { width: opts.width ?? 420, height: opts.height ?? 260, x: [h.lo, h.hi], y: [0, top], xLabel: 'image score', yLabel: 'images' }
  return frame(
    f,
    (sx, sy) => {
      const bars: string[] = []
      for (let i = 0; i < h.good.length; i++) {
        let base = 0
        for (const c of classes) {
          const n = c.counts[i]
          if (!n) continue
          bars.push(`<rect x="${sx(h.edges[i]).toFixed(1)}" y="${sy(base + n).toFixed(1)}" width="${Math.max(0.5, sx(h.edges[i + 1]) - sx(h.edges[i]) - 0.5).toFixed(1)}" height="${(sy(base) - sy(base + n)).toFixed(1)}" fill="${c.colour}" fill-opacity="0.8"/>`)
          base += n
        }
      }
      const line = (v: number, dash: string) => `<line x1="${sx(v)}" y1="${M.t}" x2="${sx(v)}" y2="${sy(0)}" stroke="#1f2933" stroke-width="2" ${dash}/>`
      return bars.join('') + (review < threshold ? line(review, 'stroke-dasharray="4 3"') : '') + line(threshold, '')
    },
    legendItems(classes, f.width),
  )
}
