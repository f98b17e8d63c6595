// Which ImageNet weights this machine has for an architecture (the user's store, then the built-in copy) and which one a model needs.
import { join } from 'node:path'
import { listBuiltInWeights } from './built-in'
import type { ResNetArch } from './resnet-spec'
import { listStoredWeights, weightsDir } from './weight-store'
import { WeightsError } from './weights/read-weights'

/** Weights usable by name ('resnet18', ...): stored by the user, or shipped with the app. */
export interface AvailableWeights {
  arch: ResNetArch
  /** absolute path of the weight file */
  path: string
  sha256: string
  layers: number
  origin: 'store' | 'built-in'
}

/**
 * Every usable weight file, the user's store before the built-in copies. That order is the precedence for a
 * new run: weights the user fetched or imported on purpose (e.g. torchvision's full file, or their own) win
 * over the ones shipped with the app. A saved model is not affected by it: it names its weights' sha256.
 */
export async function listAvailableWeights(dataDir: string, resourcesDir: string): Promise<AvailableWeights[]> {
  const stored = (await listStoredWeights(dataDir)).map((w): AvailableWeights => ({ arch: w.arch, path: join(weightsDir(dataDir), w.file), sha256: w.sha256, layers: w.layers, origin: 'store' }))
  const builtIn = listBuiltInWeights(resourcesDir).map((w): AvailableWeights => ({ arch: w.arch, path: w.path, sha256: w.sha256, layers: w.layers, origin: 'built-in' }))
  return [...stored, ...builtIn]
}

/** 'built-in ImageNet weights' or 'ImageNet weights from your store', with the checksum's first digits. */
export function describeWeights(w: AvailableWeights): string {
  return `${w.origin === 'built-in' ? 'built-in' : 'your stored'} ${w.arch} ImageNet weights (sha256 ${w.sha256.slice(0, 8)})`
}

/**
 * The weights to load for `arch`: with `sha256` (a saved model's), exactly the file with that checksum, or an
 * error listing what is here; without it, the first by precedence (see {@link listAvailableWeights}).
 */
export async function pickWeights(arch: ResNetArch, dataDir: string, resourcesDir: string, sha256?: string): Promise<AvailableWeights> {
  const all = (await listAvailableWeights(dataDir, resourcesDir)).filter((w) => w.arch === arch)
  if (sha256) {
    const match = all.find((w) => w.sha256 === sha256)
    if (match) return match
    throw new WeightsError(
      `This model was trained with ${arch} weights sha256 ${sha256.slice(0, 12)}, which are not on this machine` +
        (all.length ? ` (it has ${all.map(describeWeights).join(' and ')})` : '') +
        '. Import the weight file the model was trained with (`pbas backbone import FILE`), or retrain the model.',
    )
  }
  if (all.length) return all[0]
  throw new WeightsError(
    `No ImageNet weights for ${arch} on this machine. Run \`pbas backbone fetch ${arch}\` (online) or ` +
      `\`pbas backbone import FILE\` with torchvision's ${arch} .pth or a .safetensors copy.`,
  )
}

/** The usable weights whose checksum is `sha256`, whatever their architecture, or null. */
export async function findWeightsBySha(sha256: string, dataDir: string, resourcesDir: string): Promise<AvailableWeights | null> {
  return (await listAvailableWeights(dataDir, resourcesDir)).find((w) => w.sha256 === sha256) ?? null
}
