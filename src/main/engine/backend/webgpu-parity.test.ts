// The GPU path (tfjs on WebGPU) against the CPU path (onnxruntime), on tiny sizes: backbone, training steps, scores and maps, leaks.
import { afterAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { registerWebGpu, webGpuBytes } from './webgpu'
import { computeDevice, computesOnGpu } from './select-backend'
import { loadBackbone } from '../backbone/load-backbone'
import { createStepper } from '../pbas/train'
import { PbasModel } from '../pbas/predict'
import type { ModelMeta } from '../model/model-file'
import { computeGeometry } from '../image/geometry'
import { runTrainingPipeline } from '../pipeline/train-pipeline'
import { mulberry32 } from '../util/random'
import { BUILT_IN_RESNET18 } from '../../../test-support/shared'
import { tinyBackbone, tinyConfig, writeTinyProduct } from '../../../test-support/tiny-model'
import { gpuTestSkipReason, maxRelErr } from './gpu-test-support'

// The software device (Mesa's lavapipe from bookworm-backports, installed by `npm run test:tools`) stands in for a GPU.
const adapter = await registerWebGpu(true).catch((err: Error) => err)
const skip = adapter instanceof Error ? gpuTestSkipReason(adapter) : null
if (skip) console.warn(`GPU-path tests skipped: ${skip}`)

function randn(n: number, seed: number, scale = 1): Float32Array {
  const r = mulberry32(seed)
  return Float32Array.from({ length: n }, () => (r() + r() + r() - 1.5) * scale)
}

/** Runs fn with tfjs on `backend`; fn must leave no tensors behind that the other backend would have to read. */
async function on<T>(backend: 'cpu' | 'webgpu', fn: () => Promise<T>): Promise<T> {
  expect(await tf.setBackend(backend)).toBe(true)
  await tf.ready()
  return fn()
}

/** The errors measured, printed once at the end (the note and README quote them). */
const measured: Record<string, number> = {}
function rel(name: string, a: ArrayLike<number>, b: ArrayLike<number>): number {
  return (measured[name] = Math.max(measured[name] ?? 0, maxRelErr(a, b)))
}

const ctx = tinyBackbone(join(tmpdir(), 'pbas-gpu-parity'))
const cfg = tinyConfig({ batchSize: 2, lrProjector: 1e-3, lrDiscriminator: 1e-3 })

describe.skipIf(skip)('GPU path on the software WebGPU device', () => {
  afterAll(async () => {
    console.log(`GPU path on ${(adapter as { name: string }).name}: max relative errors against the CPU path ${JSON.stringify(measured)}`)
    await tf.setBackend('cpu')
  })

  it('the device is WebGPU, and the engine leaves onnxruntime to the CPU path', async () => {
    await on('webgpu', async () => {
      expect(computesOnGpu()).toBe(true)
      expect(computeDevice().device).toMatch(/./)
    })
    await on('cpu', async () => expect(computesOnGpu()).toBe(false))
  })

  it('backbone features (ResNet18, layer2 + layer3) match onnxruntime within 1e-4', async () => {
    const x = { data: Float32Array.from(randn(2 * 64 * 64 * 3, 3), (v) => Math.min(1, Math.max(0, 0.5 + v / 4))), shape: [2, 64, 64, 3] as [number, number, number, number] }
    const run = async () => {
      const b = await loadBackbone(BUILT_IN_RESNET18, ctx)
      try {
        return { runtime: b.runtime, maps: await b.forwardHost(x, ['layer2', 'layer3']) }
      } finally {
        b.dispose()
      }
    }
    const cpu = await on('cpu', run)
    const gpu = await on('webgpu', run)
    expect([cpu.runtime, gpu.runtime]).toEqual(['onnxruntime', 'tfjs'])
    for (const i of [0, 1]) {
      expect(gpu.maps[i].shape).toEqual(cpu.maps[i].shape)
      expect(rel('backbone', gpu.maps[i].data, cpu.maps[i].data), `tap ${i}`).toBeLessThan(1e-4)
    }
  })

  it('three training steps match the onnxruntime stepper within 1e-4 (losses and parameters), and 20 steps hold device memory steady', async () => {
    const D = 32
    const rows = 4 * 16
    const small = tinyConfig({ targetDim: D, pretrainDim: D, discHidden: 16, lrProjector: 1e-3, lrDiscriminator: 1e-3 })
    const centre = randn(16 * D, 1)
    const xs = [0, 1, 2].map((s) => randn(rows * D, 10 + s))
    const cpu = await on('cpu', async () => {
      const s = await createStepper(small, 16, false)
      s.setCentre(centre)
      const init = await s.exportParams()
      const stats = []
      for (let i = 0; i < 3; i++) stats.push(await s.step(xs[i], rows, i))
      const out = { runtime: s.runtime, init, stats, params: await s.exportParams() }
      s.dispose()
      return out
    })
    await on('webgpu', async () => {
      const s = await createStepper(small, 16, false)
      s.setCentre(centre)
      s.loadParams(cpu.init)
      expect([cpu.runtime, s.runtime]).toEqual(['onnxruntime', 'tfjs'])
      for (let i = 0; i < 3; i++) {
        const st = await s.step(xs[i], rows, i)
        for (const k of ['lossC', 'lossN', 'lossA'] as const) expect(rel('stepLosses', [st[k]], [cpu.stats[i][k]]), `step ${i} ${k}`).toBeLessThan(1e-4)
      }
      const params = await s.exportParams()
      for (const k of Object.keys(params)) {
        // discB1 feeds batch norm, so its gradient is zero up to rounding and Adam turns each side's rounding into
        // steps of about lr (the ort stepper test explains it); the running mean absorbs a tenth of that.
        if (k === 'discB1' || k === 'bnMean') continue
        expect(rel('paramsAfter3Steps', params[k].data, cpu.params[k].data), k).toBeLessThan(1e-4)
      }
      const tensors = tf.memory().numTensors
      const bytes = (tf.memory() as tf.MemoryInfo & { numBytesInGPU: number }).numBytesInGPU
      const pool = webGpuBytes()
      for (let i = 0; i < 20; i++) await s.step(xs[i % 3], rows, 3 + i)
      expect(tf.memory().numTensors).toBe(tensors)
      expect((tf.memory() as tf.MemoryInfo & { numBytesInGPU: number }).numBytesInGPU).toBe(bytes)
      expect(webGpuBytes()).toBe(pool)
      s.dispose()
    })
  })

  it('image scores and anomaly maps match the CPU path within 1e-4', async () => {
    const images = [0, 1].map((i) => ({ path: `img${i}`, data: Float32Array.from(randn(64 * 64 * 3, 20 + i), (v) => Math.min(1, Math.max(0, 0.5 + v / 4))), size: 64, originalWidth: 64, originalHeight: 64, geometry: computeGeometry(64, 64, { resize: 64, crop: 64, fit: 'crop' }) }))
    const D = cfg.targetDim
    const arrays = {
      projW: { shape: [D, D], data: randn(D * D, 5, 0.2) }, projB: { shape: [D], data: randn(D, 6, 0.1) },
      discW1: { shape: [D, 32], data: randn(D * 32, 7, 0.2) }, discB1: { shape: [32], data: randn(32, 8, 0.1) },
      bnGamma: { shape: [32], data: new Float32Array(32).fill(1) }, bnBeta: { shape: [32], data: randn(32, 9, 0.1) },
      bnMean: { shape: [32], data: randn(32, 10, 0.1) }, bnVar: { shape: [32], data: new Float32Array(32).fill(2) },
      discW2: { shape: [32, 1], data: randn(32, 11, 0.3) }, centre: { shape: [1, D], data: new Float32Array(D) },
    }
    const meta = { config: { ...cfg, backbone: BUILT_IN_RESNET18 }, grid: 8, backbone: { taps: ['layer2', 'layer3'] }, thresholds: { band: { review: 0.5, fail: 0.9 } } } as unknown as ModelMeta
    const run = async () => {
      const model = PbasModel.fromParts(meta, await loadBackbone(BUILT_IN_RESNET18, ctx), arrays)
      try {
        return await model.predictPrepared(images)
      } finally {
        model.dispose()
      }
    }
    const cpu = await on('cpu', run)
    const gpu = await on('webgpu', run)
    for (const i of [0, 1]) {
      expect(rel('imageScores', [gpu[i].score], [cpu[i].score])).toBeLessThan(1e-4)
      expect(rel('maps', gpu[i].map, cpu[i].map)).toBeLessThan(1e-4)
    }
  })

  it('trains a tiny model end to end on the device; model.json names the device', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pbas-gpu-train-'))
    try {
      const data = await writeTinyProduct(dir)
      await on('webgpu', async () => {
        const before = tf.memory().numTensors
        await runTrainingPipeline({ data, out: join(dir, 'model'), config: tinyConfig({ epochs: 1 }), backbone: tinyBackbone(dir), backendName: 'webgpu', gpu: true }, {})
        expect(tf.memory().numTensors).toBe(before)
      })
      const meta = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8')) as ModelMeta
      expect(meta.runtime).toEqual({ features: 'tfjs', training: 'tfjs' })
      expect(meta.compute?.gpu).toBe(true)
      expect(meta.compute?.device).toBe((adapter as { name: string }).name + ' (software)')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
