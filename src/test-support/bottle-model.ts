// A small PBAS model trained on a few MVTec bottle images (real data, real ResNet18), for export and station tests.
import { copyFile, mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { resolveConfig } from '../main/engine/pbas/config'
import { runTrainingPipeline } from '../main/engine/pipeline/train-pipeline'
import { sharedPath } from './shared'
import { tinyBackbone } from './tiny-model'

/** Sorted paths of MVTec bottle's test images (83: 20 good, 63 defective). */
export async function bottleTestImages(): Promise<string[]> {
  const root = sharedPath('datasets/mvtec_bottle/test')
  const out: string[] = []
  for (const type of (await readdir(root)).sort()) for (const f of (await readdir(join(root, type))).sort()) out.push(join(root, type, f))
  return out
}

/**
 * Trains `<dir>/bottle-model` on the first `trainImages` good training images (copied into a temp data
 * set under `dir`, never into the repository) at `size` px; seconds, not minutes.
 */
export async function trainBottleModel(dir: string, opts: { size?: number; trainImages?: number; epochs?: number; over?: Record<string, unknown> } = {}): Promise<string> {
  const size = opts.size ?? 128
  const src = sharedPath('datasets/mvtec_bottle/train/good')
  const data = join(dir, 'bottle-subset')
  await mkdir(join(data, 'train', 'good'), { recursive: true })
  for (const f of (await readdir(src)).sort().slice(0, opts.trainImages ?? 24)) await copyFile(join(src, f), join(data, 'train', 'good', f))
  const out = join(dir, 'bottle-model')
  const config = resolveConfig({
    backbone: sharedPath('backbones/resnet18_imagenet_to_layer3'),
    imageSize: size, resize: size, pretrainDim: 256, targetDim: 256, discHidden: 64,
    epochs: opts.epochs ?? 2, batchSize: 8, checkpointEvery: 10, lrProjector: 1e-3, lrDiscriminator: 1e-3, validationShare: 0.25,
    ...opts.over,
  })
  await runTrainingPipeline({ data, out, config, backbone: tinyBackbone(dir), backendName: 'wasm' })
  return out
}
