// Benchmark: images/s of the frozen feature extractor E_phi at 256 px, per runtime and backbone.
// Run with `npm run bench:features`; writes bench/results/feature-extraction.json.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { loadBackbone } from '../src/main/engine/backbone/load-backbone'
import { FeatureExtractor } from '../src/main/engine/features/feature-extractor'
import { loadImage } from '../src/main/engine/image/preprocess'
import { readDataset } from '../src/main/engine/data/read-dataset'
import { trackPeakMemory } from './machine-info'
import { benchMain } from './run-cases'

const ROOT = resolve(__dirname, '..')
const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
const SIZE = 256
const BATCH = 8
const CASES = ['onnxruntime:wide_resnet50_2', 'onnxruntime:resnet18', 'tfjs:wide_resnet50_2', 'tfjs:resnet18', 'tfjs:mobilenet_v1']

async function runCase(spec: string): Promise<void> {
  const [runtime, name] = spec.split(':')
  if (runtime === 'tfjs') process.env.PBAS_ORT = '0'
  await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const mem = trackPeakMemory()
  const r18 = join(SHARED, 'backbones/resnet18_imagenet_to_layer3')
  const source =
    name === 'mobilenet_v1' ? join(SHARED, 'backbones/mobilenet_v1_imagenet') : name === 'resnet18' && existsSync(r18) ? r18 : `random:${name}`
  const backbone = await loadBackbone(source, { dataDir: join(ROOT, 'scratch', 'bench-data'), resourcesDir: join(ROOT, 'resources') })
  const ex = new FeatureExtractor(backbone)
  const ds = await readDataset(join(SHARED, 'datasets/mvtec_bottle'))
  const paths = ds.samples.filter((s) => s.split === 'train').slice(0, Number(process.env.BENCH_IMAGES ?? 16)).map((s) => s.path)
  const images = await Promise.all(paths.map((p) => loadImage(p, { resize: SIZE, crop: SIZE, fit: 'crop' })))
  const batches: Float32Array[][] = []
  for (let i = 0; i < images.length; i += BATCH) batches.push(images.slice(i, i + BATCH).map((im) => im.data))
  // Warm-up with a full batch: the first call at a shape builds sessions, compiles kernels, grows heaps.
  await ex.extractImages(batches[0], SIZE)
  let t0 = performance.now()
  for (const batch of batches) {
    const data = new Float32Array(batch.length * SIZE * SIZE * 3)
    batch.forEach((b, i) => data.set(b, i * SIZE * SIZE * 3))
    await backbone.forwardHost({ data, shape: [batch.length, SIZE, SIZE, 3] }, ex.taps)
  }
  const backboneMs = performance.now() - t0
  t0 = performance.now()
  for (const batch of batches) await ex.extractImages(batch, SIZE)
  const ephiMs = performance.now() - t0
  backbone.dispose()
  console.log(JSON.stringify({
    runtime: backbone.runtime, backbone: name, weights: source.startsWith('random:') ? 'random (same cost as ImageNet)' : 'ImageNet',
    taps: ex.taps, imageSize: SIZE, batch: BATCH, images: images.length,
    imagesPerSecond: Number(((images.length * 1000) / ephiMs).toFixed(2)),
    backboneOnlyImagesPerSecond: Number(((images.length * 1000) / backboneMs).toFixed(2)),
    patchGrid: ex.gridSize(SIZE), featureDim: ex.dim, peakRssMiB: mem.stop(),
  }))
}

benchMain(__filename, CASES, runCase, {
  benchmark: 'feature-extraction',
  command: 'npm run bench:features',
  what: 'E_phi (backbone to the deepest tap + 3x3 patch embedding + adaptive pooling to 1536) on preprocessed MVTec bottle images; excludes image decoding',
})
