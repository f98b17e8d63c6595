// The station benchmarks' model and parts: the Quick preset's architecture trained briefly on MVTec bottle, and bottle's test images.
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { resolveConfig, PRESETS } from '../src/main/engine/pbas/config'
import { runTrainingPipeline } from '../src/main/engine/pipeline/train-pipeline'

export const ROOT = resolve(__dirname, '..')
const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
const SCRATCH = join(ROOT, 'scratch', 'bench-station')
/** the model folder both station benchmarks score with */
export const MODEL = join(SCRATCH, 'model')
const BACKBONE = join(SHARED, 'backbones/resnet18_imagenet_to_layer3')
/** where the backbone weights and resources are */
export const ctx = { dataDir: join(SCRATCH, 'data'), resourcesDir: join(ROOT, 'resources') }

/**
 * The Quick preset's architecture and size (ResNet18, 256 px, D 1536, hidden 1024) trained for one epoch on 48
 * good images: inference costs exactly what the 16-epoch Quick model's does; only the weights differ.
 */
export async function quickModel(): Promise<void> {
  if (existsSync(join(MODEL, 'model.json'))) return
  const data = join(SCRATCH, 'train-subset')
  const src = join(SHARED, 'datasets/mvtec_bottle/train/good')
  await mkdir(join(data, 'train', 'good'), { recursive: true })
  for (const f of (await readdir(src)).sort().slice(0, 48)) await copyFile(join(src, f), join(data, 'train', 'good', f))
  const config = resolveConfig(PRESETS.quick, { backbone: BACKBONE, epochs: 1, validationShare: 0.25 })
  await runTrainingPipeline({ data, out: MODEL, config, backbone: ctx, backendName: 'wasm' })
}

/** MVTec bottle's 83 test images, in a fixed order. */
export async function testImages(): Promise<string[]> {
  const root = join(SHARED, 'datasets/mvtec_bottle/test')
  const out: string[] = []
  for (const t of (await readdir(root)).sort()) for (const f of (await readdir(join(root, t))).sort()) out.push(join(root, t, f))
  return out
}
