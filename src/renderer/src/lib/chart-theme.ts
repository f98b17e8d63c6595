// chart.js colours from the design tokens, so charts follow the light and dark themes.
import { Chart } from 'chart.js'

/** Reads the current theme's tokens into chart.js defaults and redraws every chart. */
export function applyChartTheme(): void {
  if (typeof document === 'undefined') return
  const css = getComputedStyle(document.documentElement)
  const v = (name: string) => css.getPropertyValue(name).trim()
  Chart.defaults.color = v('--text-muted') || '#4a5666'
  Chart.defaults.borderColor = v('--border') || '#c9d1dc'
  Chart.defaults.font.family = v('--font') || 'system-ui'
  for (const c of Object.values(Chart.instances)) c.update('none')
}
