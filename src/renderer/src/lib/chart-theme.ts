// chart.js colours from the design tokens, so charts follow the light and dark themes (also charts already drawn), and the series palette.
import { Chart } from 'chart.js'

/** Reads the current theme's tokens into chart.js defaults and into every existing chart's scales, then redraws. */
export function applyChartTheme(): void {
  if (typeof document === 'undefined') return
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  const text = v('--text-muted', '#4a5666')
  const grid = v('--border', '#c9d1dc')
  Chart.defaults.color = text
  Chart.defaults.borderColor = grid
  Chart.defaults.font.family = v('--font', 'system-ui')
  for (const c of Object.values(Chart.instances)) {
    const o = c.options as { color?: string; scales?: Record<string, { grid?: { color?: string }; ticks?: { color?: string }; title?: { color?: string } }>; plugins?: { legend?: { labels?: { color?: string } } } }
    o.color = text
    for (const s of Object.values(o.scales ?? {})) {
      if (s.grid) s.grid.color = grid
      if (s.ticks) s.ticks.color = text
      if (s.title) s.title.color = text
    }
    if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = text
    c.update('none')
  }
}

/**
 * The one palette for chart series: Okabe and Ito's colour-blind-safe set (black left out: the dark theme), in an
 * order that keeps neighbours apart in hue and lightness. Series beyond seven repeat it dashed.
 */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'] as const

/** The i-th series' colour and dash. */
export function seriesStyle(i: number): { borderColor: string; backgroundColor: string; borderDash: number[] } {
  const c = SERIES_COLOURS[i % SERIES_COLOURS.length]
  return { borderColor: c, backgroundColor: c, borderDash: i >= SERIES_COLOURS.length ? [6, 4] : [] }
}

/** An x axis of whole epochs (no 1.25 ticks on short runs). */
export const EPOCH_AXIS = { type: 'linear' as const, title: { display: true, text: 'epoch' }, ticks: { stepSize: 1, precision: 0 } }
