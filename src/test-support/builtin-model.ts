// A tiny PBAS model on the built-in ResNet18 weights (resources/): trains in seconds and needs no ../shared.
import { join } from 'node:path'
import { resolveConfig } from '../main/engine/pbas/config'
import { runTrainingPipeline } from '../main/engine/pipeline/train-pipeline'
import { writeTinyProduct } from './tiny-model'
import { REPO_ROOT } from './shared'

/** Backbone context for models trained under `dir` (an empty weight store: the built-in ResNet18 is used). */
export const builtinBackbone = (dir: string) => ({ dataDir: join(dir, 'data'), resourcesDir: join(REPO_ROOT, 'resources') })

/** 64 px, 64-D, one epoch, a quarter of the good images held out for calibration. */
export function builtinConfig(over: Record<string, unknown> = {}) {
  return resolveConfig({ backbone: 'resnet18', imageSize: 64, resize: 64, pretrainDim: 64, targetDim: 64, discHidden: 32, epochs: 1, batchSize: 4, validationShare: 0.25, ...over })
}

/** Writes the tiny synthetic product under `dir` and trains `<dir>/model` on it. */
export async function trainBuiltinModel(dir: string): Promise<{ data: string; model: string }> {
  const data = await writeTinyProduct(dir)
  const model = join(dir, 'model')
  await runTrainingPipeline({ data, out: model, config: builtinConfig(), backbone: builtinBackbone(dir), backendName: 'wasm' })
  return { data, model }
}
