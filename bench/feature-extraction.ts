// Benchmark: images/s of the frozen feature extractor E_phi at 256 px on the wasm backend.
// Run with `npm run bench:features`; writes bench/results/feature-extraction.json.
import * as tf from '@tensorflow/tfjs'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { loadBackbone } from '../src/main/engine/backbone/load-backbone'
import { FeatureExtractor } from '../src/main/engine/features/feature-extractor'
import { loadImage } from '../src/main/engine/image/preprocess'
import { readDataset } from '../src/main/engine/data/read-dataset'
import { machineInfo, trackPeakMemory } from './machine-info'

const ROOT = resolve(__dirname, '..')
const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
const SIZE = 256
const BATCH = 8
const IMAGES = Number(process.env.BENCH_IMAGES ?? 16)

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

interface Case {
  name: string
  spec: string
  note: string
}

async function main(): Promise<void> {
  const backend = await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const ctx = { dataDir: join(ROOT, 'scratch', 'bench-data'), resourcesDir: join(ROOT, 'resources') }
  const r18 = join(SHARED, 'backbones/resnet18_imagenet_to_layer3')
  const cases: Case[] = [
    { name: 'wide_resnet50_2', spec: 'random:wide_resnet50_2', note: 'random weights (same cost as ImageNet weights), taps layer2+layer3' },
    existsSync(r18)
      ? { name: 'resnet18', spec: r18, note: 'torchvision ImageNet weights, taps layer2+layer3' }
      : { name: 'resnet18', spec: 'random:resnet18', note: 'random weights, taps layer2+layer3' },
    { name: 'mobilenet_v1', spec: join(SHARED, 'backbones/mobilenet_v1_imagenet'), note: 'Keras ImageNet weights, taps conv_pw_5+conv_pw_11' },
  ]
  const ds = await readDataset(join(SHARED, 'datasets/mvtec_bottle'))
  const paths = ds.samples.filter((s) => s.split === 'train').slice(0, IMAGES).map((s) => s.path)
  const pre = { resize: SIZE, crop: SIZE, fit: 'crop' as const }
  const images = await Promise.all(paths.map((p) => loadImage(p, pre)))
  const results = []
  for (const c of cases) {
    const mem = trackPeakMemory()
    const backbone = await loadBackbone(c.spec, ctx)
    const ex = new FeatureExtractor(backbone)
    const batches: Float32Array[][] = []
    for (let i = 0; i < images.length; i += BATCH) batches.push(images.slice(i, i + BATCH).map((im) => im.data))
    // Warm-up with a full batch: the first call at a shape compiles kernels and grows the wasm heap.
    await ex.extractImages(batches[0], SIZE)
    // Backbone alone (to the deepest tap), then the full E_phi, in separate passes.
    let t0 = performance.now()
    for (const batch of batches) {
      const x = tf.tensor4d(concat(batch), [batch.length, SIZE, SIZE, 3])
      const maps = backbone.forward(x, ex.taps)
      await Promise.all(maps.map((m) => m.data()))
      tf.dispose([x, ...maps])
    }
    const backboneMs = performance.now() - t0
    t0 = performance.now()
    for (const batch of batches) await ex.extractImages(batch, SIZE)
    const ephiMs = performance.now() - t0
    const r = {
      backbone: c.name,
      weights: c.note,
      imageSize: SIZE,
      batch: BATCH,
      images: images.length,
      imagesPerSecond: Number(((images.length * 1000) / ephiMs).toFixed(2)),
      backboneOnlyImagesPerSecond: Number(((images.length * 1000) / backboneMs).toFixed(2)),
      patchGrid: ex.gridSize(SIZE),
      featureDim: ex.dim,
      peakRssMiB: mem.stop(),
    }
    console.log(JSON.stringify(r))
    results.push(r)
    backbone.dispose()
  }
  const out = join(ROOT, 'bench', 'results')
  mkdirSync(out, { recursive: true })
  const doc = {
    benchmark: 'feature-extraction',
    what: 'E_phi (backbone to the deepest tap + 3x3 patch embedding + adaptive pooling to 1536) on preprocessed MVTec bottle images; excludes image decoding',
    machine: machineInfo(backend),
    results,
  }
  writeFileSync(join(out, 'feature-extraction.json'), JSON.stringify(doc, null, 2) + '\n')
  console.log(`wrote ${join(out, 'feature-extraction.json')}`)
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
