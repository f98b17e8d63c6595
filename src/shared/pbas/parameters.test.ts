import { describe, expect, it } from 'vitest'
import { checkConfig, DEFAULT_CONFIG, mergeConfig, PARAM_GROUPS, PARAMETERS } from './parameters'
import { resolveConfig } from '../../main/engine/pbas/config'

describe('PBAS parameter table', () => {
  it('describes every configuration key exactly once, in a known group', () => {
    expect(PARAMETERS.map((p) => p.key).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort())
    for (const p of PARAMETERS) expect(PARAM_GROUPS.map((g) => g.id)).toContain(p.group)
    expect(checkConfig(mergeConfig({}))).toEqual([])
  })

  it('is the engine validation: the form sees the same first error resolveConfig throws', () => {
    for (const bad of [{ epochs: 0 }, { alpha: -1 }, { patchSize: 4 }, { validationShare: 0.95 }, { fit: 'zoom' }, { epochz: 3 }, { seed: 1.5 }]) {
      const first = checkConfig(mergeConfig(bad)).find((i) => i.severity === 'error')!
      expect(() => resolveConfig(bad)).toThrow(first.message)
    }
    expect(() => resolveConfig({ epochs: 0 })).toThrow("epochs must be a positive whole number, got '0'")
    expect(() => resolveConfig({ fit: 'zoom' })).toThrow("fit must be one of crop, pad, stretch, tile, got 'zoom'")
    expect(() => resolveConfig({ patchSize: 4 })).toThrow('patchSize must be odd')
    expect(resolveConfig({ seed: 0 }).seed).toBe(0)
    expect(() => resolveConfig({ patchShare: 1.5 })).toThrow('patchShare must be at most 1')
    expect(resolveConfig({ patchShare: 1 }).patchShare).toBe(1)
  })

  it('warns outside the typical range without blocking the run', () => {
    const issues = checkConfig(mergeConfig({ alpha: 5 }))
    expect(issues).toEqual([{ key: 'alpha', severity: 'warning', message: 'Anomaly degree 5 is outside the usual 0.05–1' }])
    expect(resolveConfig({ alpha: 5 }).alpha).toBe(5)
  })

  it('says so when a crop resize below the input size is raised to it (the one adjustment resolveConfig makes)', () => {
    expect(checkConfig(mergeConfig({ fit: 'crop', imageSize: 320, resize: 256 }))).toContainEqual({ key: 'resize', severity: 'warning', message: 'Resize before crop 256 px is below the input size 320 px: images will be resized to 320 px' })
    expect(resolveConfig({ fit: 'crop', imageSize: 320, resize: 256 }).resize).toBe(320)
    expect(checkConfig(mergeConfig({ fit: 'pad', imageSize: 320, resize: 256 })).some((i) => i.key === 'resize')).toBe(false)
  })
})
