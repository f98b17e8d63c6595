import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { join } from 'node:path'
import { tinyBackbone, tinyModelFixture } from '../../../test-support/tiny-model'
import { featurePlot } from './feature-plot'
import { readFileSync } from 'node:fs'
import { resolveConfig } from '../pbas/config'
import { runTrainingPipeline } from '../pipeline/train-pipeline'
import { CancelledError } from '../util/job'

const tiny = tinyModelFixture('pbas-plot-')

const mean = (pts: [number, number][]) => [0, 1].map((k) => pts.reduce((a, p) => a + p[k], 0) / pts.length)

describe('featurePlot', () => {
  it('plots every group on shared PCA axes, deterministic for a seed, without leaking tensors', async () => {
    const before = tf.memory().numTensors
    const job = { modelDir: tiny.model, data: tiny.data, stage: 'final' as const, backbone: tinyBackbone(tiny.dir), perGroup: 200, images: 4 }
    const plot = await featurePlot(job)
    expect(tf.memory().numTensors).toBe(before)
    expect(plot.groups.map((g) => g.name)).toEqual(['normal-backbone', 'normal-projected', 'synthetic', 'centre', 'defect-projected'])
    expect(plot.groups[0].points).toHaveLength(200)
    expect(plot.images).toEqual({ normal: 4, defect: 4 })
    expect(plot.explained[0]).toBeGreaterThan(plot.explained[1])
    expect(plot.explained[0] + plot.explained[1]).toBeLessThanOrEqual(1 + 1e-9)
    expect(plot.epoch).toBeGreaterThanOrEqual(1)
    // AFS moves every projected normal feature away from its centre, so the cloud's centroid shifts.
    const [u, z] = [mean(plot.groups[1].points), mean(plot.groups[2].points)]
    expect(Math.hypot(u[0] - z[0], u[1] - z[1])).toBeGreaterThan(0)
    expect(await featurePlot(job)).toEqual(plot)
  })

  it('with a region, plots only the inspected patches', async () => {
    const job = { modelDir: tiny.model, data: tiny.data, stage: 'final' as const, backbone: tinyBackbone(tiny.dir), perGroup: 100, images: 2 }
    // The tiny product's photos are 64 x 64 on an 8 x 8 grid: its top-left quarter keeps 16 patches of each.
    const region = { imageWidth: 64, imageHeight: 64, inspect: [{ type: 'rect' as const, x: 0, y: 0, width: 32, height: 32 }], ignore: [] }
    const whole = await featurePlot(job)
    const part = await featurePlot({ ...job, region })
    expect(whole.groups[0].points).toHaveLength(100)
    expect(part.groups[0].points).toHaveLength(2 * 16)
  })

  it('plots the projector at initialisation, and says when there is no checkpoint to plot', async () => {
    const job = { modelDir: tiny.model, data: tiny.data, backbone: tinyBackbone(tiny.dir), perGroup: 100, images: 2 }
    const initial = await featurePlot({ ...job, stage: 'initial' })
    const final = await featurePlot({ ...job, stage: 'final' })
    expect(initial.epoch).toBe(0)
    expect(initial.groups[1].label).toContain('at initialisation')
    expect(initial.groups[1].points).not.toEqual(final.groups[1].points)
    await expect(featurePlot({ ...job, stage: 'checkpoint' })).rejects.toThrow(/no checkpoint in .*model.checkpoint yet/)
  })

  it('plots the latest checkpoint of a run that is still training (here: cancelled after epoch 2)', async () => {
    const out = join(tiny.dir, 'unfinished')
    const ac = new AbortController()
    const config = resolveConfig({ ...JSON.parse(readFileSync(join(tiny.model, 'model.json'), 'utf8')).config, epochs: 6 })
    const training = runTrainingPipeline({ data: tiny.data, out, config, backbone: tinyBackbone(tiny.dir), backendName: 'wasm' }, { signal: ac.signal, onProgress: (e) => e.kind === 'checkpoint' && e.epoch === 2 && ac.abort() })
    await expect(training).rejects.toBeInstanceOf(CancelledError)
    const plot = await featurePlot({ modelDir: out, data: tiny.data, stage: 'checkpoint', backbone: tinyBackbone(tiny.dir), perGroup: 50, images: 2 })
    expect(plot.epoch).toBe(2)
    expect(plot.groups[1].label).toContain('epoch 2')
    await expect(featurePlot({ modelDir: out, data: tiny.data, stage: 'final', backbone: tinyBackbone(tiny.dir) })).rejects.toThrow(/no finished model yet; plot the latest checkpoint/)
    expect((await featurePlot({ modelDir: out, data: tiny.data, stage: 'initial', backbone: tinyBackbone(tiny.dir), perGroup: 50, images: 2 })).epoch).toBe(0)
  })
})
