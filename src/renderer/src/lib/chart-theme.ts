// chart.js colours from the design tokens, so charts follow the light and dark themes (also charts already drawn), and the series palette.
import { Chart } from 'chart.js'
import { SERIES_COLOURS } from '../../../shared/chart-palette'

export { SERIES_COLOURS }

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

/** The i-th series' colour from the shared palette; series beyond it repeat the palette dashed. */
export function seriesStyle(i: number): { borderColor: string; backgroundColor: string; borderDash: number[] } {
  const c = SERIES_COLOURS[i % SERIES_COLOURS.length]
  return { borderColor: c, backgroundColor: c, borderDash: i >= SERIES_COLOURS.length ? [6, 4] : [] }
}

/** An x axis of whole epochs (no 1.25 ticks on short runs). */
export const EPOCH_AXIS = { type: 'linear' as const, title: { display: true, text: 'epoch' }, ticks: { stepSize: 1, precision: 0 } }
