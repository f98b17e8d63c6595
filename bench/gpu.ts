// Device check: GPU-path parity, then a bottle-Quick-sized epoch, inference images/s at 256 px and peak device memory.
// `npm run bench:gpu` here, or scripts/bench-gpu.sh on a bare machine from scripts/pack-gpu-bench.sh's folder; writes bench/results/gpu.json.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { runGpuParity } from '../src/main/engine/pipeline/gpu-parity'
import { webGpuBytes } from '../src/main/engine/backend/webgpu'
import { loadBackbone } from '../src/main/engine/backbone/load-backbone'
import { writeSyntheticProduct } from '../src/main/engine/demo/synthetic-product'
import { computeGeometry } from '../src/shared/image/geometry'
import type { ModelMeta } from '../src/main/engine/model/model-file'
import { resolveConfig } from '../src/main/engine/pbas/config'
import { exportParams, disposeParams, initParams } from '../src/main/engine/pbas/params'
import { PbasModel } from '../src/main/engine/pipeline/predict'
import { runTrainingPipeline } from '../src/main/engine/pipeline/train-pipeline'
import { writeFileAtomic } from '../src/main/engine/util/atomic-write'
import { machineInfo } from '../src/main/engine/util/machine-info'
import { mulberry32 } from '../src/main/engine/util/random'

// Run from the repository root (npm, or scripts/bench-gpu.sh): the built-in ResNet18 and the results live there.
const ROOT = process.cwd()
const RESNET18 = join(ROOT, 'resources', 'backbones', 'resnet18_imagenet_to_layer3')
const env = (k: string, d: number) => Number(process.env[k] ?? d)
/** The sizes; the defaults are bottle's Quick run (209 good images, 256 px); the software device run shrinks them. */
const SIZES = {
  trainImages: env('BENCH_TRAIN_IMAGES', 209),
  imageSize: env('BENCH_IMAGE_SIZE', 256),
  epochs: env('BENCH_EPOCHS', 3),
  inferenceImages: env('BENCH_IMAGES', 256),
  inferenceBatch: env('BENCH_BATCH', 8),
}
const LIMIT = 1e-4

let peakDeviceBytes = 0
const sample = () => (peakDeviceBytes = Math.max(peakDeviceBytes, webGpuBytes()))
const round = (x: number, d = 3) => Number(x.toFixed(d))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** pbas train's pipeline on a generated product with bottle's good-image count at the Quick preset: seconds per epoch. */
async function epochTimes(backendName: string): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'pbas-gpu-bench-'))
  try {
    const S = SIZES.imageSize
    await writeSyntheticProduct(join(dir, 'product'), { size: S, trainGood: SIZES.trainImages, testGood: 2, testScratch: 1, testDent: 1, seed: 3 })
    const config = resolveConfig({ backbone: RESNET18, imageSize: S, resize: S, epochs: SIZES.epochs, calibrationShare: 0 })
    const seconds: number[] = []
    const t0 = performance.now()
    await runTrainingPipeline({ data: join(dir, 'product'), out: join(dir, 'model'), config, backbone: { dataDir: join(dir, 'data'), resourcesDir: join(ROOT, 'resources') }, backendName, gpu: true }, {
      onProgress: (e) => {
        sample()
        if (e.kind === 'epoch') {
          seconds.push(e.seconds)
          console.error(`epoch ${e.epoch}/${e.epochs}: ${e.seconds.toFixed(2)} s`)
        }
      },
    })
    const steps = Math.ceil(SIZES.trainImages / config.batchSize)
    return {
      settings: `Quick preset (ResNet18 ImageNet to layer3, ${S} px, D ${config.targetDim}, H ${config.discHidden}, batch ${config.batchSize}), ${SIZES.trainImages} generated good images (${steps} steps per epoch), no calibration hold-out`,
      epochSeconds: seconds.map((s) => round(s)),
      steadyEpochSeconds: round(median(seconds.length > 1 ? seconds.slice(1) : seconds)),
      pipelineSeconds: round((performance.now() - t0) / 1000, 1),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Scoring preprocessed images (features, E_phi, fused head, smoothed map) at the Quick settings: images per second. */
async function inferenceRate(): Promise<Record<string, unknown>> {
  const S = SIZES.imageSize
  const cfg = resolveConfig({ backbone: RESNET18, imageSize: S, resize: S })
  const params = initParams(cfg.targetDim, cfg.discHidden, 0)
  const arrays = { ...(await exportParams(params)), centre: { shape: [1, cfg.targetDim], data: new Float32Array(cfg.targetDim) } }
  disposeParams(params)
  const meta = { config: cfg, grid: S / 8, backbone: { taps: ['layer2', 'layer3'] }, thresholds: { band: { review: 0.5, fail: 0.9 } } } as unknown as ModelMeta
  const model = PbasModel.fromParts(meta, await loadBackbone(RESNET18, { dataDir: join(tmpdir(), 'pbas-gpu-bench-data'), resourcesDir: join(ROOT, 'resources') }), arrays)
  const rand = mulberry32(5)
  const image = (i: number) => ({ path: `img${i}`, data: Float32Array.from({ length: S * S * 3 }, () => rand()), size: S, originalWidth: S, originalHeight: S, geometry: computeGeometry(S, S, { resize: S, crop: S, fit: 'crop' }) })
  const images = Array.from({ length: SIZES.inferenceImages }, (_, i) => image(i))
  const B = SIZES.inferenceBatch
  try {
    await model.predictPrepared(images.slice(0, B)) // warm-up: shaders compiled, buffers pooled
    sample()
    const t = performance.now()
    for (let i = 0; i < images.length; i += B) {
      await model.predictPrepared(images.slice(i, i + B))
      sample()
    }
    const s = (performance.now() - t) / 1000
    // Where one batch's time goes: the backbone on the device (read-back included), E_phi on the host, the rest.
    const one = images.slice(0, B)
    const time = async (f: () => Promise<unknown>) => {
      const t0 = performance.now()
      await f()
      return (performance.now() - t0) / 1000
    }
    const backbone = await time(() => model.backbone.forwardHost({ data: Float32Array.from(one.flatMap((im) => Array.from(im.data))), shape: [B, S, S, 3] }, model.extractor.taps))
    const features = await time(() => model.extractor.extractImages(one.map((im) => im.data), S))
    const whole = await time(() => model.predictPrepared(one))
    const split = { backboneOnDevice: round(backbone), ePhiOnHost: round(features - backbone), headAndMaps: round(whole - features) }
    return { images: images.length, batch: B, imageSize: S, seconds: round(s), imagesPerSecond: round(images.length / s, 1), path: await model.inferencePath(), oneBatchSeconds: split }
  } finally {
    model.dispose()
  }
}

/** This machine's CPU-path epoch from bench/results/train-epoch.json, when there is one (another run: a reference, not a same-run ratio). */
function cpuEpochReference(): Record<string, unknown> | null {
  const f = join(ROOT, 'bench', 'results', 'train-epoch.json')
  if (!existsSync(f)) return null
  const r = JSON.parse(readFileSync(f, 'utf8')) as { steadyEpochSeconds: number; machine: { date: string; cpuModel: string; cores: number } }
  return { steadyEpochSeconds: r.steadyEpochSeconds, measured: r.machine.date, machine: `${r.machine.cores} cores, ${r.machine.cpuModel}`, file: 'bench/results/train-epoch.json (MVTec bottle, onnxruntime CPU path)' }
}

async function main(): Promise<void> {
  const started = performance.now()
  const out = resolve(process.env.BENCH_OUT ?? join(ROOT, 'bench', 'results', 'gpu.json'))
  const backend = await initBackend(process.env.PBAS_BACKEND ?? 'webgpu')
  if (!backend.gpu) throw new Error(`the device check needs a GPU backend; got ${backend.name} (${backend.skipped.join('; ')})`)
  console.error(`device: ${backend.device}`)
  const parity = await runGpuParity(RESNET18, () => loadBackbone(RESNET18, { dataDir: join(tmpdir(), 'pbas-gpu-bench-data'), resourcesDir: join(ROOT, 'resources') }))
  const { leak, errors } = parity
  const parityOk = Object.values(errors).every((e) => e <= LIMIT) && leak.tensors[0] === leak.tensors[1] && leak.bytesAllocated[0] === leak.bytesAllocated[1]
  console.error(`parity ${parityOk ? 'ok' : 'FAILED'}: ${JSON.stringify(errors)}`)
  await tf.setBackend(backend.tfBackend)
  const epoch = await epochTimes(backend.name)
  const inference = await inferenceRate()
  const cpu = cpuEpochReference()
  const software = / \(software\)$/.test(backend.device)
  const result = {
    benchmark: 'gpu',
    what: 'The device check: the GPU path against the CPU path on tiny sizes (relative errors, limit 1e-4; tensors and device bytes over 20 steps), then pbas training at the Quick preset on a generated product with bottle\'s 209 good images (seconds per epoch), then scoring preprocessed images at 256 px (images/s), and the peak device memory tfjs held (its buffer pool, sampled after every progress event and batch).',
    // npm run bench:gpu here; scripts/bench-gpu.sh names itself (a bare machine, from scripts/pack-gpu-bench.sh's folder).
    command: process.env.BENCH_COMMAND ?? 'npm run bench:gpu',
    device: backend.device,
    ...(software ? { software: 'a software Vulkan device (Mesa llvmpipe) on this CPU: checks that the GPU path runs end to end and agrees; its timings say nothing about a GPU', sizes: SIZES } : {}),
    machine: machineInfo(backend),
    ...(process.env.PBAS_PACK ? { ranFrom: `scripts/bench-gpu.sh: the pack (${process.env.PBAS_PACK.trim()}) unpacked into a temporary folder` } : {}),
    parity: { ok: parityOk, limit: LIMIT, ...parity },
    epoch,
    inference,
    peakDeviceMiB: round(peakDeviceBytes / 2 ** 20, 1),
    cpuEpochReference: cpu,
    ...(cpu && !software ? { epochSpeedupOverCpuReference: round((cpu.steadyEpochSeconds as number) / (epoch.steadyEpochSeconds as number), 1) } : {}),
    wallSeconds: round((performance.now() - started) / 1000, 1),
  }
  await writeFileAtomic(out, JSON.stringify(result, null, 2) + '\n')
  console.log(JSON.stringify(result, null, 2))
  console.error(`wrote ${out}`)
  if (!parityOk) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err))
  process.exit(1)
})
