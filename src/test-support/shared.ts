// Test helper: the committed reference fixtures and built-in weights every test may use, and the optional ../shared folder (real data) that only *.real.test.ts files read.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '..', '..')

/** Repository root, for tests that scan sources. */
export const REPO_ROOT = ROOT

/** The ResNet18 ImageNet weights (conv1..layer3) shipped in resources/: real features with no download. */
export const BUILT_IN_RESNET18 = join(ROOT, 'resources', 'backbones', 'resnet18_imagenet_to_layer3')

/** Reference outputs computed with PyTorch / SciPy / scikit-learn by scripts/fixtures/reference_fixtures.py (committed). */
export const REFERENCE_DIR = join(__dirname, 'reference')

/** Absolute path of a committed reference file. */
export function referencePath(...parts: string[]): string {
  const p = join(REFERENCE_DIR, ...parts)
  if (!existsSync(p)) throw new Error(`reference fixture missing: ${p} (run \`python3 scripts/fixtures/reference_fixtures.py\`, see its header)`)
  return p
}

/** Reads a committed JSON reference fixture. */
export function readReference<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(referencePath(name), 'utf8')) as T
}

/** The generated part image that backbone/resnet18_part.* was computed from. */
export const PART_IMAGE = join(REFERENCE_DIR, 'backbone', 'part.png')

/**
 * Reads one tensor of a ResNet18 reference as float32: by default the committed one (the generated part through
 * torchvision with the built-in weights); 'bottle' reads ../shared's real bottle image reference (real-data tests only).
 */
export function readBackboneFixture(name: 'input' | 'layer2' | 'layer3' | 'embedding', which: 'part' | 'bottle' = 'part'): { shape: number[]; data: Float32Array } {
  const file = (ext: string) => (which === 'part' ? referencePath('backbone', `resnet18_part.${ext}`) : sharedPath('reference', 'backbone', `resnet18_bottle.${ext}`))
  const index = JSON.parse(readFileSync(file('json'), 'utf8')) as { tensors: Record<string, { shape: number[]; offset: number; bytes: number }> }
  const t = index.tensors[name]
  const buf = readFileSync(file('bin'))
  const copy = new Uint8Array(buf.subarray(t.offset, t.offset + t.bytes))
  return { shape: t.shape, data: new Float32Array(copy.buffer) }
}

/** The ../shared folder (or PBAS_SHARED_DIR) when this checkout has one; a user's clone has none. */
export function sharedDir(): string | null {
  const base = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
  return existsSync(base) ? base : null
}

/** True when the real data sets and weights are here: *.real.test.ts suites skip themselves otherwise. */
export const HAS_SHARED = sharedDir() !== null

/** Absolute path inside ../shared; only *.real.test.ts files (npm run test:real) call this. */
export function sharedPath(...parts: string[]): string {
  const base = sharedDir()
  if (!base) throw new Error('no ../shared folder (set PBAS_SHARED_DIR): this is a real-data test, run it with `npm run test:real`')
  const p = resolve(base, ...parts)
  if (!existsSync(p)) throw new Error(`test fixture missing: ${p} (set PBAS_SHARED_DIR to the shared folder)`)
  return p
}
