// The region to inspect: ignored patches are never trained on, score 0 at inference and in the export, and a misfit photo is named.
import { describe, expect, it } from 'vitest'
import { copyFile, mkdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { PRESETS } from '../pbas/config'
import type { TrainRunProgress } from '../../../shared/models/progress'
import type { InspectionRegion } from '../../../shared/image/region'
import { tinyBackbone, tinyConfig } from '../../../test-support/tiny-model'
import { WIDE_DEFECT } from '../../../test-support/wide-product'
import { useWideProduct } from '../../../test-support/wide-product-fixture'
import { loadModelFiles } from '../model/model-file'
import { exportLoadedModel } from '../export/export-model'
import { RegionMasks, trainingCells } from '../image/region-cells'
import { PbasModel } from './predict'
import { runStation, type StationProgress } from '../station/station'
import { runTrainingPipeline } from './train-pipeline'

const wide = useWideProduct('pbas-region-')
const { data, photos } = wide
const S = 96
const config = (epochs: number) => tinyConfig({ fit: PRESETS.quick.fit, imageSize: S, resize: S, epochs })
/** The right end of the 192 x 64 strip, where every generated pit lies, as an area to ignore. */
const IGNORE_RIGHT: InspectionRegion = { imageWidth: 192, imageHeight: 64, inspect: [], ignore: [{ type: 'rect', x: 150, y: 0, width: 42, height: 64 }] }
/** A label at the left end to ignore; the pits stay inspected. */
const IGNORE_LEFT: InspectionRegion = { imageWidth: 192, imageHeight: 64, inspect: [{ type: 'polygon', points: [[0, 0], [192, 0], [192, 64], [0, 64]] }], ignore: [{ type: 'rect', x: 0, y: 0, width: 40, height: 64 }] }

describe('a region to inspect', () => {
  it('training keeps only the inspected patches; ignored areas score 0 at inference and in the ONNX export', async () => {
    const messages: string[] = []
    const out = join(wide.dir(), 'right-ignored')
    await runTrainingPipeline({ data: data(), out, config: config(3), region: IGNORE_RIGHT, backbone: tinyBackbone(wide.dir()), backendName: 'wasm' }, { onProgress: (e: TrainRunProgress) => void ((e.kind === 'stage' || e.kind === 'warning') && messages.push(e.message)) })
    const { meta, arrays } = await loadModelFiles(out)
    const P = meta.grid * meta.grid
    const kept = Math.round(P * (150 / 192))
    // Every row of the centre comes from an inspected patch: 150 of 192 photo columns are kept.
    expect(arrays.centre.shape[0]).toBeGreaterThanOrEqual(kept - meta.grid)
    expect(arrays.centre.shape[0]).toBeLessThanOrEqual(kept + meta.grid)
    expect(messages.some((m) => m.includes(`keeps ${arrays.centre.shape[0]} of the ${P} patches`))).toBe(true)
    expect(meta.region).toEqual(IGNORE_RIGHT)
    const model = await PbasModel.load(out, tinyBackbone(wide.dir()))
    try {
      const [pit] = await model.predict(photos('test/pit', 1))
      const at = (x: number, y: number) => pit.map[Math.floor(y * S) * S + Math.floor(x * S)]
      // The pit lies in the ignored area: no score there, while the inspected part of the photo has its usual scores.
      expect(at(WIDE_DEFECT.x, WIDE_DEFECT.y)).toBeLessThan(1e-3)
      expect(at(0.3, 0.5)).toBeGreaterThan(0.05)
      const exported = await exportLoadedModel(model, join(wide.dir(), 'export'))
      expect(exported.meta.region?.ignore).toEqual(IGNORE_RIGHT.ignore)
      expect(exported.meta.verification?.maxScoreDifference).toBeLessThan(1e-4)
      expect(exported.meta.verification?.maxMapDifference).toBeLessThan(1e-4)
      // A photo the region does not fit is named, not scored: an error for a batch, a refused part at the station.
      const line = join(wide.dir(), 'line')
      await mkdir(line)
      const small = join(line, 'small.png')
      await sharp({ create: { width: 120, height: 64, channels: 3, background: '#888' } }).png().toFile(small)
      await expect(model.predict([small])).rejects.toThrow(`${small}: the region to inspect was drawn on a 192 x 64 photo`)
      await copyFile(photos('test/good', 1)[0], join(line, 'good.png'))
      const ac = new AbortController()
      const seen: StationProgress[] = []
      const stopWhenBoth = (e: StationProgress) => {
        seen.push(e)
        if (seen.some((x) => x.kind === 'part') && seen.some((x) => x.kind === 'unreadable')) ac.abort()
      }
      const timer = setTimeout(() => ac.abort(), 30_000)
      await runStation({ model, modelDir: out, dir: line, settleMs: 100, pollMs: 20, unreadableAfterMs: 100 }, { signal: ac.signal, onProgress: stopWhenBoth })
      clearTimeout(timer)
      expect(seen.flatMap((e) => (e.kind === 'part' ? [e.part.file] : []))).toEqual(['good.png'])
      expect(seen.flatMap((e) => (e.kind === 'unreadable' ? [e.record.reason] : []))).toEqual([expect.stringContaining(`${small}: the region to inspect was drawn on a 192 x 64 photo`)])
    } finally {
      model.dispose()
    }
  }, 180_000)

  it('an ignored label does not hide the defects in the inspected part', async () => {
    const out = join(wide.dir(), 'left-ignored')
    await runTrainingPipeline({ data: data(), out, config: config(6), region: IGNORE_LEFT, backbone: tinyBackbone(wide.dir()), backendName: 'wasm' })
    const model = await PbasModel.load(out, tinyBackbone(wide.dir()))
    try {
      const { good, pits, worstGood } = await wide.scoreTestParts(model)
      for (const p of pits) expect(p.score).toBeGreaterThan(worstGood)
      for (const p of [...good, ...pits]) expect(p.map[Math.floor(0.5 * S) * S + 2]).toBeLessThan(1e-3)
    } finally {
      model.dispose()
    }
  }, 180_000)

  it('a training photo that the region does not fit, or of another size, is named', async () => {
    const masks = new RegionMasks({ ...IGNORE_RIGHT, imageWidth: 300, ignore: [{ type: 'rect', x: 250, y: 0, width: 40, height: 64 }] }, { fit: 'stretch', resize: S, crop: S }, 12)
    const first = photos('train/good', 1)[0]
    await expect(trainingCells(masks, [first])).rejects.toThrow(`${first}: the region to inspect was drawn on a 300 x 64 photo and reaches 290 x 64 px, outside this 192 x 64 photo`)
    // Through the pipeline: refused before any feature is extracted, nothing left behind.
    const out = join(wide.dir(), 'misfit')
    const misfit = { ...IGNORE_RIGHT, imageWidth: 300, ignore: [{ type: 'rect' as const, x: 250, y: 0, width: 40, height: 64 }] }
    const progress: string[] = []
    const onProgress = (e: TrainRunProgress) => void (e.kind === 'progress' && progress.push(e.stage))
    await expect(runTrainingPipeline({ data: data(), out, config: config(1), region: misfit, backbone: tinyBackbone(wide.dir()), backendName: 'wasm' }, { onProgress })).rejects.toThrow(/the region to inspect was drawn on a 300 x 64 photo/)
    expect(progress).toEqual([])
    expect(existsSync(`${out}.features`)).toBe(false)
    const wider = join(wide.dir(), 'wider.png')
    await sharp({ create: { width: 384, height: 64, channels: 3, background: '#888' } }).png().toFile(wider)
    await expect(trainingCells(new RegionMasks(IGNORE_RIGHT, { fit: 'stretch', resize: S, crop: S }, 12), [first, wider])).rejects.toThrow(`${wider} is 384 x 64 but ${first} is 192 x 64`)
  })
})
