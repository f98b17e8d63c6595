// Picks the backbone for the offline demo and says why, so the user knows what the numbers mean.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { findStoredWeights } from '../backbone/weight-store'

/** The chosen backbone spec (for loadBackbone) and a sentence explaining the choice. */
export interface DemoBackboneChoice {
  spec: string
  why: string
  imagenet: boolean
}

/**
 * Order: PBAS_DEMO_BACKBONE; stored ResNet18 (fast on CPU, the paper's Fig. 12a backbone) or, on a GPU,
 * stored WideResNet50-2 (the paper's default); ResNet18 weights in a development checkout's ../shared;
 * finally seeded random weights, which make the pipeline run but are not a meaningful detector.
 */
export async function chooseDemoBackbone(dataDir: string, packageRoot: string, gpu: boolean): Promise<DemoBackboneChoice> {
  const env = process.env.PBAS_DEMO_BACKBONE
  if (env) return { spec: env, why: 'set by PBAS_DEMO_BACKBONE', imagenet: !env.startsWith('random:') }
  const order = gpu ? (['wide_resnet50_2', 'resnet18'] as const) : (['resnet18', 'wide_resnet50_2'] as const)
  for (const arch of order) {
    if (await findStoredWeights(dataDir, arch))
      return {
        spec: arch,
        why: `ImageNet ${arch} weights from your weight store (${arch === 'resnet18' ? 'fast on a CPU; the paper reports it in Fig. 12a' : "the paper's default backbone"})`,
        imagenet: true,
      }
  }
  const dev = resolve(packageRoot, '..', 'shared', 'backbones', 'resnet18_imagenet_to_layer3')
  if (existsSync(join(dev, 'resnet18_to_layer3.safetensors')))
    return { spec: dev, why: `ImageNet ResNet18 weights found beside this checkout (${dev})`, imagenet: true }
  return {
    spec: 'random:resnet18',
    why: 'no ImageNet weights on this machine, so ResNet18 with seeded random weights: the pipeline runs end to end, but ' +
      'detection quality needs real weights (pbas backbone fetch resnet18, or pbas backbone import FILE)',
    imagenet: false,
  }
}
