// Benchmark: PBAS inference images/s (E_phi + fused head + anomaly map) at 256 px, per runtime and backbone.
// Run with `npm run bench:inference`; writes bench/results/inference.json.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { loadBackbone } from '../src/main/engine/backbone/load-backbone'
import { readDataset } from '../src/main/engine/data/read-dataset'
import { loadImage } from '../src/main/engine/image/preprocess'
import { resolveConfig } from '../src/main/engine/pbas/config'
import { exportParams, initParams, disposeParams } from '../src/main/engine/pbas/params'
import { PbasModel } from '../src/main/engine/pipeline/predict'
import type { ModelMeta } from '../src/main/engine/model/model-file'
import { trackPeakMemory } from './machine-info'
import { benchMain } from './run-cases'

const ROOT = resolve(__dirname, '..')
const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
const SIZE = 256
const CASES = ['onnxruntime:resnet18', 'onnxruntime:wide_resnet50_2', 'tfjs:resnet18', 'tfjs:wide_resnet50_2']

async function runCase(spec: string): Promise<void> {
  const [runtime, arch] = spec.split(':')
  if (runtime === 'tfjs') process.env.PBAS_ORT = '0'
  const backend = await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const mem = trackPeakMemory()
  const r18 = join(SHARED, 'backbones/resnet18_imagenet_to_layer3')
  const backboneSpec = arch === 'resnet18' && existsSync(r18) ? r18 : `random:${arch}`
  const backbone = await loadBackbone(backboneSpec, { dataDir: join(ROOT, 'scratch', 'bench-data'), resourcesDir: join(ROOT, 'resources') })
  const cfg = resolveConfig({ backbone: backboneSpec })
  const params = initParams(cfg.targetDim, cfg.discHidden, 0)
  const arrays = { ...(await exportParams(params)), centre: { shape: [1, cfg.targetDim], data: new Float32Array(cfg.targetDim) } }
  disposeParams(params)
  const meta = { config: cfg, grid: SIZE / 8, backbone: { taps: ['layer2', 'layer3'] }, thresholds: { band: { review: 0.5, fail: 0.9 } } } as unknown as ModelMeta
  const model = PbasModel.fromParts(meta, backbone, arrays)
  const ds = await readDataset(join(SHARED, 'datasets/mvtec_bottle'))
  const paths = ds.samples.filter((s) => s.split === 'test').slice(0, Number(process.env.BENCH_IMAGES ?? 24)).map((s) => s.path)
  const pre = { resize: SIZE, crop: SIZE, fit: 'crop' as const }
  const images = await Promise.all(paths.map((p) => loadImage(p, pre)))
  await model.predictPrepared(images.slice(0, 8)) // warm-up: sessions, kernels, heap
  let t = performance.now()
  for (let i = 0; i < images.length; i += 8) await model.predictPrepared(images.slice(i, i + 8))
  const modelSeconds = (performance.now() - t) / 1000
  t = performance.now()
  await model.predict(paths)
  const endToEndSeconds = (performance.now() - t) / 1000
  model.dispose()
  console.log(JSON.stringify({
    runtime: backbone.runtime, backbone: arch, weights: backboneSpec.startsWith('random:') ? 'random (same cost)' : 'ImageNet', imageSize: SIZE, D: cfg.targetDim, images: images.length,
    imagesPerSecond: Number((images.length / modelSeconds).toFixed(2)),
    imagesPerSecondIncludingDecode: Number((images.length / endToEndSeconds).toFixed(2)),
    peakRssMiB: mem.stop(), backend: backend.name,
  }))
}

benchMain(__filename, CASES, runCase, {
  benchmark: 'inference',
  command: 'npm run bench:inference',
  what: 'PBAS inference on MVTec bottle test images at 256 px, batch 8: backbone to layer3, E_phi (D=1536), projector fused into the discriminator, image score and smoothed 256x256 map. imagesPerSecond starts from decoded, preprocessed images; imagesPerSecondIncludingDecode also reads the PNGs.',
  reference: 'official PyTorch code, ResNet18, measured on a machine like this one (issue 13, not in this run): 4.24 images/s over the 83 bottle test images; for a same-machine limit see bench/results/roofline.json',
})
