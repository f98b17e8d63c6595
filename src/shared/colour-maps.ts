// Colour maps for heat maps, shared by the engine (PNG overlays, reports) and the renderer (live overlays).

/** Key colours per map, evenly spaced from 0 to 1. */
export const COLOUR_MAPS: Record<string, [number, number, number][]> = {
  viridis: [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]],
  inferno: [[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]],
  jet: [[0, 0, 131], [0, 60, 255], [5, 255, 251], [255, 247, 0], [255, 0, 0], [128, 0, 0]],
}

/** Colour of v in [0, 1] under a map. */
export function colourAt(map: string, v: number): [number, number, number] {
  const stops = COLOUR_MAPS[map] ?? COLOUR_MAPS.viridis
  const t = Math.min(1, Math.max(0, v)) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(t))
  const f = t - i
  return [0, 1, 2].map((c) => Math.round(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]))) as [number, number, number]
}
