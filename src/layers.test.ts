// The house's layers (README, "How the code is laid out"), enforced: imports point down or sideways, never up, and no runtime cycles.
import { describe, expect, it } from 'vitest'
import { importEdges, runtimeCycles, sourceFiles } from './test-support/import-graph'

/**
 * Layers, lowest first; a file may import its own layer and the ones before it. Paths are repository-relative
 * prefixes; the longest match wins. The engine's folders are layers of their own, the method (pbas) below the
 * formats built on it (model, review, calibration), below the orchestration (pipeline) and its users.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['src/shared/'],
  ['src/main/engine/util/', 'src/main/engine/onnx/', 'src/main/engine/backend/', 'src/main/engine/version.ts'],
  ['src/main/engine/image/', 'src/main/engine/metrics/', 'src/main/engine/data/'],
  ['src/main/engine/backbone/', 'src/main/engine/features/'],
  ['src/main/engine/pbas/'],
  ['src/main/engine/model/', 'src/main/engine/calibration/', 'src/main/engine/review/'],
  ['src/main/engine/pipeline/'],
  ['src/main/engine/station/', 'src/main/engine/export/', 'src/main/engine/analysis/', 'src/main/engine/demo/'],
  ['src/main/workspace/'],
  ['src/main/report/'],
  ['src/main/jobs/'],
  ['src/main/app/'],
  ['src/main/ipc/', 'src/main/server/'],
  ['src/main/compose/'],
  ['src/main/windows/', 'src/main/cli/'],
  ['src/main/index.ts'],
]

/** The renderer reaches only src/shared; inside it, views over components over stores over the api (the only door out). */
export const RENDERER_LAYERS: readonly (readonly string[])[] = [
  ['src/shared/'],
  ['src/renderer/src/lib/', 'src/renderer/src/styles/'],
  ['src/renderer/src/api/'],
  ['src/renderer/src/stores/'],
  ['src/renderer/src/components/'],
  ['src/renderer/src/views/'],
  ['src/renderer/src/'],
]

function levelIn(layers: readonly (readonly string[])[], file: string): number {
  let best = -1
  let len = -1
  layers.forEach((prefixes, level) => {
    for (const p of prefixes) if ((file === p || file.startsWith(p)) && p.length > len) [best, len] = [level, p.length]
  })
  return best
}

const files = sourceFiles('src').filter((f) => !f.startsWith('src/test-support/'))
const edges = importEdges(files)

describe('layers', () => {
  it('finds the sources and places every one of them in a layer (guards against the scan matching nothing)', () => {
    expect(files.length).toBeGreaterThan(200)
    const main = files.filter((f) => f.startsWith('src/main/') || f.startsWith('src/shared/'))
    expect(main.filter((f) => levelIn(LAYERS, f) < 0)).toEqual([])
    const renderer = files.filter((f) => f.startsWith('src/renderer/'))
    expect(renderer.filter((f) => levelIn(RENDERER_LAYERS, f) < 0)).toEqual([])
  })

  it('main process: no import from a lower layer to a higher one (type-only imports included)', () => {
    const offences = edges
      .filter((e) => e.from.startsWith('src/main/') || e.from.startsWith('src/shared/'))
      .filter((e) => levelIn(LAYERS, e.to) > levelIn(LAYERS, e.from))
      .map((e) => `${e.from} -> ${e.to}`)
    expect(offences).toEqual([])
  })

  it('shared imports nothing outside itself; preload only shared; the renderer only shared and itself, views over components over stores over the api', () => {
    const offences: string[] = []
    for (const e of edges) {
      if (e.from.startsWith('src/shared/') && !e.to.startsWith('src/shared/')) offences.push(`${e.from} -> ${e.to}`)
      if (e.from.startsWith('src/preload/') && !e.to.startsWith('src/shared/')) offences.push(`${e.from} -> ${e.to}`)
      if (e.from.startsWith('src/renderer/')) {
        const [a, b] = [levelIn(RENDERER_LAYERS, e.from), levelIn(RENDERER_LAYERS, e.to)]
        if (b < 0 || b > a) offences.push(`${e.from} -> ${e.to}`)
      }
    }
    expect(offences).toEqual([])
  })

  it('components and views never call the api directly (only stores do)', () => {
    const offences = edges.filter((e) => /^src\/renderer\/src\/(components|views)\//.test(e.from) && e.to.startsWith('src/renderer/src/api/')).map((e) => `${e.from} -> ${e.to}`)
    expect(offences).toEqual([])
  })

  it('has no runtime import cycle anywhere in src', () => {
    expect(runtimeCycles(importEdges(sourceFiles('src')))).toEqual([])
  })
})
