// Display formatting shared by the screens: durations, percentages and scores.

/** Seconds as "42s", "3m05s" or "1h27m"; "--" when unknown. */
export function duration(s: number | null | undefined): string {
  if (s === null || s === undefined) return '--'
  s = Math.round(s)
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  return s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`
}

/** A rate in [0, 1] as a percentage with `digits` decimals (no unit); "n/a" when missing. */
export function percent(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? 'n/a' : (100 * v).toFixed(digits)
}

/** A score with four significant digits; empty when missing. */
export function score(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : v.toPrecision(4)
}
