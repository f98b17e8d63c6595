import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useTrainingFormStore } from './training-form'
import { mergeConfig, PRESETS } from '../../../shared/pbas/parameters'

describe('training form store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('round-trips between the form and the JSON view', () => {
    const f = useTrainingFormStore()
    f.set('epochs', 4)
    f.set('imageSize', 128)
    f.set('resize', 128)
    f.set('taps', ['layer2'])
    f.setMode('json')
    expect(JSON.parse(f.jsonText)).toEqual({ backbone: 'resnet18', epochs: 4, imageSize: 128, resize: 128, taps: ['layer2'] })
    const before = { ...f.values }
    // JSON -> form -> JSON is the identity, and so is form -> JSON -> form.
    f.setMode('form')
    expect(f.values).toEqual(before)
    f.setMode('json')
    f.jsonText = JSON.stringify({ backbone: '/models/r18', epochs: 2, alpha: 0.3, centreInit: 'abl-euclidean' })
    f.setMode('form')
    expect(f.values).toEqual(mergeConfig(PRESETS.quick, { backbone: '/models/r18', epochs: 2, alpha: 0.3, centreInit: 'abl-euclidean' }))
    f.setMode('json')
    expect(JSON.parse(f.jsonText)).toEqual({ backbone: '/models/r18', epochs: 2, alpha: 0.3, centreInit: 'abl-euclidean' })
  })

  it('stays in JSON on a parse error, shows the engine’s own validation, and lets presets fill the form', () => {
    const f = useTrainingFormStore()
    f.datasetId = 'd1'
    expect(f.ready).toBe(true)
    f.setMode('json')
    f.jsonText = '{"epochs": 4,'
    f.setMode('form')
    expect(f.mode).toBe('json')
    expect(f.jsonError).toMatch(/Not valid JSON/)
    expect(f.ready).toBe(false)
    f.jsonText = '{"epochs": 0, "epochz": 1}'
    f.setMode('form')
    expect(f.mode).toBe('form')
    expect(f.issueOf('epochs')?.message).toBe("epochs must be a positive whole number, got '0'")
    expect(f.issueOf('epochz')?.message).toContain("unknown config key 'epochz'")
    expect(f.ready).toBe(false)
    f.applyPreset('paper')
    expect(f.values).toMatchObject({ backbone: 'wide_resnet50_2', imageSize: 288, epochs: 640 })
    expect(f.name).toBe('Paper - WRN50-2 - 288 px - 640 epochs')
    f.setName('Bottle, first try')
    expect(f.name).toBe('Bottle, first try')
    f.set('epochs', 10)
    expect(f.name).toBe('Bottle, first try')
    f.setName('')
    expect(f.name).toBe('Paper (edited) - WRN50-2 - 288 px - 10 epochs')
  })
})
