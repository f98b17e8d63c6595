// The whole photo, always: a defect at the far end of a wide photo is found with the default fit, and a crop says what it drops.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { PRESETS } from '../pbas/config'
import { computeGeometry } from '../../../shared/image/geometry'
import type { TrainRunProgress } from '../../../shared/models/progress'
import { tinyBackbone, tinyConfig } from '../../../test-support/tiny-model'
import { WIDE_DEFECT } from '../../../test-support/wide-product'
import { useWideProduct } from '../../../test-support/wide-product-fixture'
import { PbasModel } from './predict'
import { runTrainingPipeline } from './train-pipeline'

const wide = useWideProduct('pbas-wide-')
const { data } = wide

describe('a wide photo', () => {
  it('under a centre crop, the far-end defect lies outside what the model sees (why the default is not a crop)', () => {
    const g = computeGeometry(192, 64, { fit: 'crop', resize: 96, crop: 96 })
    const scale = g.resizedWidth / 192
    expect((WIDE_DEFECT.x - WIDE_DEFECT.rx) * 192 * scale).toBeGreaterThan(g.cropLeft + g.size)
  })

  it('with the default fit, its far-end defects score above every good part, and training says nothing is unseen', async () => {
    // The Quick preset is where the app and `pbas train` start.
    const fit = PRESETS.quick.fit
    expect(fit === 'pad' || fit === 'stretch').toBe(true)
    const warnings: string[] = []
    const onProgress = (e: TrainRunProgress) => void (e.kind === 'warning' && warnings.push(e.message))
    const out = join(wide.dir(), 'model')
    await runTrainingPipeline({ data: data(), out, config: tinyConfig({ fit, imageSize: 96, resize: 96, epochs: 6 }), backbone: tinyBackbone(wide.dir()), backendName: 'wasm' }, { onProgress })
    expect(warnings.filter((w) => /unseen/.test(w))).toEqual([])
    const model = await PbasModel.load(out, tinyBackbone(wide.dir()))
    try {
      const { pits, worstGood } = await wide.scoreTestParts(model)
      for (const p of pits) expect(p.score).toBeGreaterThan(worstGood)
    } finally {
      model.dispose()
    }
  }, 120_000)

  it('a centre crop is said before training: how much of which photos stays unseen', async () => {
    const warnings: string[] = []
    const onProgress = (e: TrainRunProgress) => void (e.kind === 'warning' && warnings.push(e.message))
    await runTrainingPipeline({ data: data(), out: join(wide.dir(), 'cropped'), config: tinyConfig({ fit: 'crop', imageSize: 64, resize: 64, epochs: 1 }), backbone: tinyBackbone(wide.dir()), backendName: 'wasm' }, { onProgress })
    expect(warnings).toContain('The centre crop leaves 67 % of each 192 x 64 photo unseen (its left and right ends): no score, heat map or verdict there, so a defect there passes. Fit "stretch" or "pad" keeps the whole photo.')
  }, 120_000)
})
