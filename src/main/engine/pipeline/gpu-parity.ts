// The GPU path (tfjs on WebGPU) against the CPU path on tiny sizes: backbone features, training steps, scores and maps, leaks.
// One implementation for the unit tests (which assert on it) and the device check (which records it).
import * as tf from '@tensorflow/tfjs'
import type { Backbone } from '../backbone/backbone'
import { computeGeometry } from '../../../shared/image/geometry'
import type { ModelMeta } from '../model/model-file'
import { resolveConfig } from '../pbas/config'
import { PbasModel } from './predict'
import { createStepper } from './train'
import { mulberry32 } from '../util/random'
import { webGpuBytes } from '../backend/webgpu'

/** Largest relative error (max |gpu - cpu| / max |cpu|) per quantity, and what ran on each side. */
export interface ParityResult {
  /** the CPU path's runtimes (onnxruntime where it loads, else tfjs' plain JavaScript kernels) and the GPU path's */
  runtimes: { cpu: { features: string; training: string }; gpu: { features: string; training: string } }
  errors: { backbone: number; stepLosses: number; paramsAfter3Steps: number; imageScores: number; maps: number }
  /** parameters left out of paramsAfter3Steps: their gradient is zero up to rounding (see below) */
  excluded: string[]
  /** tfjs tensors and device bytes after step 3 and after 20 more steps (equal: nothing grows) */
  leak: { steps: number; tensors: [number, number]; bytesInUse: [number, number]; bytesAllocated: [number, number] }
}

/** max |a - b| over max |b|: one number for a whole tensor, insensitive to entries near zero. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`)
  let err = 0
  let scale = 0
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]))
    scale = Math.max(scale, Math.abs(b[i]))
  }
  return scale === 0 ? err : err / scale
}

function randn(n: number, seed: number, scale = 1): Float32Array {
  const r = mulberry32(seed)
  return Float32Array.from({ length: n }, () => (r() + r() + r() - 1.5) * scale)
}

const image01 = (n: number, seed: number) => Float32Array.from(randn(n, seed), (v) => Math.min(1, Math.max(0, 0.5 + v / 4)))

/** Runs fn with tfjs on `backend`; fn leaves no tensors behind that the other backend would have to read. */
async function on<T>(backend: 'cpu' | 'webgpu', fn: () => Promise<T>): Promise<T> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' did not start`)
  await tf.ready()
  return fn()
}

const gpuBytesInUse = () => (tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number }).numBytesInGPU ?? 0

/**
 * Runs each operation on tfjs' 'cpu' backend (so the engine takes its CPU path) and on 'webgpu' (registered
 * beforehand), from the same inputs and parameters, and measures the differences. `backbone` makes a 64 px
 * capable ResNet (the built-in ResNet18 in tests and the device check). Restores the backend it found.
 */
export async function runGpuParity(backboneSpec: string, makeBackbone: () => Promise<Backbone>): Promise<ParityResult> {
  const start = tf.getBackend() as string | undefined // undefined before any backend started
  const errors = { backbone: 0, stepLosses: 0, paramsAfter3Steps: 0, imageScores: 0, maps: 0 }
  const note = (k: keyof typeof errors, a: ArrayLike<number>, b: ArrayLike<number>) => (errors[k] = Math.max(errors[k], maxRelErr(a, b)))

  // Backbone: two 64 px images to layer2 and layer3.
  const x = { data: image01(2 * 64 * 64 * 3, 3), shape: [2, 64, 64, 3] as [number, number, number, number] }
  const features = async () => {
    const b = await makeBackbone()
    try {
      return { runtime: b.runtime, maps: await b.forwardHost(x, ['layer2', 'layer3']) }
    } finally {
      b.dispose()
    }
  }
  const cpuF = await on('cpu', features)
  const gpuF = await on('webgpu', features)
  cpuF.maps.forEach((m, i) => note('backbone', gpuF.maps[i].data, m.data))

  // Three training steps from the same parameters, then 20 more for the leak check.
  const D = 32
  const P = 16
  const rows = 4 * P
  const cfg = resolveConfig({ targetDim: D, pretrainDim: D, discHidden: 16, lrProjector: 1e-3, lrDiscriminator: 1e-3 })
  const centre = randn(P * D, 1)
  const xs = [0, 1, 2].map((s) => randn(rows * D, 10 + s))
  const cpuT = await on('cpu', async () => {
    const s = await createStepper(cfg, P, false)
    s.setCentre(centre)
    const init = await s.exportParams()
    const stats = []
    for (let i = 0; i < 3; i++) stats.push(await s.step(xs[i], rows, i))
    const out = { runtime: s.runtime, init, stats, params: await s.exportParams() }
    s.dispose()
    return out
  })
  // discB1 feeds batch norm, so its gradient is zero up to rounding and Adam turns each side's rounding into steps
  // of about lr (ort-stepper.test.ts explains it); the running mean absorbs a tenth of that drift.
  const excluded = ['discB1', 'bnMean']
  const { gpuRuntime, leak } = await on('webgpu', async () => {
    const s = await createStepper(cfg, P, false)
    try {
      s.setCentre(centre)
      s.loadParams(cpuT.init)
      for (let i = 0; i < 3; i++) {
        const st = await s.step(xs[i], rows, i)
        for (const k of ['lossC', 'lossN', 'lossA'] as const) note('stepLosses', [st[k]], [cpuT.stats[i][k]])
      }
      const params = await s.exportParams()
      for (const k of Object.keys(params)) if (!excluded.includes(k)) note('paramsAfter3Steps', params[k].data, cpuT.params[k].data)
      const before = [tf.memory().numTensors, gpuBytesInUse(), webGpuBytes()]
      for (let i = 0; i < 20; i++) await s.step(xs[i % 3], rows, 3 + i)
      const after = [tf.memory().numTensors, gpuBytesInUse(), webGpuBytes()]
      const pair = (i: number) => [before[i], after[i]] as [number, number]
      return { gpuRuntime: s.runtime, leak: { steps: 20, tensors: pair(0), bytesInUse: pair(1), bytesAllocated: pair(2) } }
    } finally {
      s.dispose()
    }
  })

  // Scores and maps: the whole prediction (features, E_phi, fused head, smoothed map) on two images.
  const Dm = 64
  const mcfg = resolveConfig({ backbone: backboneSpec, imageSize: 64, resize: 64, pretrainDim: Dm, targetDim: Dm, discHidden: 32 })
  const images = [0, 1].map((i) => ({ path: `img${i}`, data: image01(64 * 64 * 3, 20 + i), size: 64, originalWidth: 64, originalHeight: 64, geometry: computeGeometry(64, 64, { resize: 64, crop: 64, fit: 'crop' }) }))
  const arrays = {
    projW: { shape: [Dm, Dm], data: randn(Dm * Dm, 5, 0.2) }, projB: { shape: [Dm], data: randn(Dm, 6, 0.1) },
    discW1: { shape: [Dm, 32], data: randn(Dm * 32, 7, 0.2) }, discB1: { shape: [32], data: randn(32, 8, 0.1) },
    bnGamma: { shape: [32], data: new Float32Array(32).fill(1) }, bnBeta: { shape: [32], data: randn(32, 9, 0.1) },
    bnMean: { shape: [32], data: randn(32, 10, 0.1) }, bnVar: { shape: [32], data: new Float32Array(32).fill(2) },
    discW2: { shape: [32, 1], data: randn(32, 11, 0.3) }, centre: { shape: [1, Dm], data: new Float32Array(Dm) },
  }
  const meta = { config: mcfg, grid: 8, backbone: { taps: ['layer2', 'layer3'] }, thresholds: { band: { review: 0.5, fail: 0.9 } } } as unknown as ModelMeta
  const predict = async () => {
    const model = PbasModel.fromParts(meta, await makeBackbone(), arrays)
    try {
      return await model.predictPrepared(images)
    } finally {
      model.dispose()
    }
  }
  const cpuP = await on('cpu', predict)
  const gpuP = await on('webgpu', predict)
  cpuP.forEach((p, i) => {
    note('imageScores', [gpuP[i].score], [p.score])
    note('maps', gpuP[i].map, p.map)
  })
  if (start) await tf.setBackend(start)
  return {
    runtimes: { cpu: { features: cpuF.runtime, training: cpuT.runtime }, gpu: { features: gpuF.runtime, training: gpuRuntime } },
    errors,
    excluded,
    leak,
  }
}
