// Picks the backbone for the offline demo and says why, so the user knows what the numbers mean.
import { listAvailableWeights, type AvailableWeights } from '../backbone/available-weights'

/** The chosen backbone spec (for loadBackbone) and a sentence explaining the choice. */
export interface DemoBackboneChoice {
  spec: string
  why: string
  imagenet: boolean
  /** the weight file behind `spec`, when it names an architecture */
  weights?: AvailableWeights
}

/**
 * Order: PBAS_DEMO_BACKBONE; on a GPU, stored WideResNet50-2 (the paper's default); ResNet18 (fast on a CPU,
 * the paper's Fig. 12a backbone) from the user's store or else built into the app; seeded random weights only
 * when the app's resources are damaged (the pipeline runs, but that is not a meaningful detector).
 */
export async function chooseDemoBackbone(dataDir: string, resourcesDir: string, gpu: boolean): Promise<DemoBackboneChoice> {
  const env = process.env.PBAS_DEMO_BACKBONE
  if (env) return { spec: env, why: 'set by PBAS_DEMO_BACKBONE', imagenet: !env.startsWith('random:') }
  const all = await listAvailableWeights(dataDir, resourcesDir)
  const wide = gpu ? all.find((w) => w.arch === 'wide_resnet50_2') : undefined
  if (wide) return { spec: wide.arch, why: "your stored ImageNet wide_resnet50_2 weights (the paper's default backbone; a GPU is active)", imagenet: true, weights: wide }
  const r18 = all.find((w) => w.arch === 'resnet18')
  if (r18)
    return {
      spec: r18.arch,
      why: r18.origin === 'built-in'
        ? 'the built-in ResNet18 ImageNet weights (shipped with PBAS Inspect; fast on a CPU; the paper reports ResNet18 in Fig. 12a)'
        : 'your stored ResNet18 ImageNet weights (they take precedence over the built-in copy)',
      imagenet: true,
      weights: r18,
    }
  return {
    spec: 'random:resnet18',
    why: `the built-in ResNet18 weights are missing from ${resourcesDir} (a damaged installation; reinstall PBAS Inspect), so ResNet18 ` +
      'with seeded random weights: the pipeline runs end to end, but detection quality needs real weights',
    imagenet: false,
  }
}
