// The one palette for chart series, in the app (chart.js) and in reports (SVG).

/**
 * Okabe and Ito's colour-blind-safe set, in an order that keeps neighbours apart in hue and lightness. Black
 * (the dark theme) and yellow (unreadable on white, looked at on the run screen) are left out; a seventh series
 * repeats the palette dashed.
 */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const
