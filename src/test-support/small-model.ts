// A small PBAS model trained in seconds with the built-in ResNet18, on a generated product (npm test) or on a few MVTec bottle images (npm run test:real), for export tests.
import { readFileSync } from 'node:fs'
import { copyFile, mkdir, readdir } from 'node:fs/promises'
import type * as Ort from 'onnxruntime-node'
import { join } from 'node:path'
import { writeSyntheticProduct } from '../main/engine/demo/synthetic-product'
import { resolveConfig } from '../main/engine/pbas/config'
import { runTrainingPipeline } from '../main/engine/pipeline/train-pipeline'
import { BUILT_IN_RESNET18, sharedPath } from './shared'
import { tinyBackbone } from './tiny-model'

/** Sorted paths of a data set's test images (MVTec layout). */
export async function testImages(data: string): Promise<string[]> {
  const root = join(data, 'test')
  const out: string[] = []
  for (const type of (await readdir(root)).sort()) for (const f of (await readdir(join(root, type))).sort()) out.push(join(root, type, f))
  return out
}

/**
 * Writes a data set under `dir` and trains `<dir>/model` on its first `trainImages` good training images at `size` px.
 * 'synthetic': the demo's generated product, 83 test images (20 good, 63 defective) like bottle's;
 * 'bottle': copies of ../shared's MVTec bottle training images (never into the repository), its test split as is.
 */
export async function trainSmallModel(dir: string, opts: { source?: 'synthetic' | 'bottle'; size?: number; trainImages?: number; epochs?: number; over?: Record<string, unknown> } = {}): Promise<{ model: string; data: string }> {
  const size = opts.size ?? 128
  const trainImages = opts.trainImages ?? 24
  let data: string
  let test: string
  if (opts.source === 'bottle') {
    const src = sharedPath('datasets/mvtec_bottle/train/good')
    data = join(dir, 'bottle-subset')
    await mkdir(join(data, 'train', 'good'), { recursive: true })
    for (const f of (await readdir(src)).sort().slice(0, trainImages)) await copyFile(join(src, f), join(data, 'train', 'good', f))
    test = sharedPath('datasets/mvtec_bottle')
  } else {
    data = join(dir, 'product')
    await writeSyntheticProduct(data, { size: Math.max(size, 160), trainGood: trainImages, testGood: 20, testScratch: 32, testDent: 31, seed: 12 })
    test = data
  }
  const model = join(dir, 'model')
  const config = resolveConfig({
    backbone: BUILT_IN_RESNET18,
    imageSize: size, resize: size, pretrainDim: 256, targetDim: 256, discHidden: 64,
    epochs: opts.epochs ?? 2, batchSize: 8, checkpointEvery: 10, lrProjector: 1e-3, lrDiscriminator: 1e-3, validationShare: 0.25,
    ...opts.over,
  })
  await runTrainingPipeline({ data, out: model, config, backbone: tinyBackbone(dir), backendName: 'wasm' })
  return { model, data: test }
}

/** Runs the exported graph on the engine's own preprocessed pixels, batch by batch. */
export async function runExportedModel(ort: typeof Ort, exportDir: string, images: Float32Array[], S: number): Promise<{ scores: number[]; maps: Float32Array[] }> {
  const session = await ort.InferenceSession.create(readFileSync(join(exportDir, 'model.onnx')))
  const scores: number[] = []
  const maps: Float32Array[] = []
  for (let b = 0; b < images.length; b += 8) {
    const batch = images.slice(b, b + 8)
    const x = new Float32Array(batch.length * S * S * 3)
    batch.forEach((im, i) => x.set(im, i * S * S * 3))
    const out = await session.run({ image: new ort.Tensor('float32', x, [batch.length, S, S, 3]) })
    const m = out.anomaly_map.data as Float32Array
    batch.forEach((_, i) => {
      scores.push((out.score.data as Float32Array)[i])
      maps.push(m.slice(i * S * S, (i + 1) * S * S))
    })
  }
  await session.release()
  return { scores, maps }
}
