// Resolves a backbone name or path (stored weights, weight file, tfjs folder, random) to a Backbone.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { Backbone } from './backbone'
import { createResNet } from './resnet'
import { RESNET_SPECS, type ResNetArch } from './resnet-spec'
import { DESCRIPTOR_FILE, loadTfjsBackbone, parseDescriptor } from './tfjs-backbone'
import { findWeightsBySha, pickWeights } from './available-weights'
import { inferArch } from './weight-store'
import { parseWeights, WeightsError } from './weights/read-weights'
import { readRegularFile } from '../util/file-policy'

/** Where to look for things: the user's data dir, and the app's bundled resources (descriptors, built-in weights). */
export interface BackboneContext {
  dataDir: string
  resourcesDir: string
  seed?: number
  /** a saved model's weight checksum: load exactly those weights (or fail saying so), whatever the default */
  weightsSha256?: string
}

const isArch = (s: string): s is ResNetArch => Object.hasOwn(RESNET_SPECS, s)

async function fromWeightFile(path: string, arch?: ResNetArch, expectedSha256?: string): Promise<Backbone> {
  const buf = await readRegularFile(path, 'weights')
  const weightsChecksum = createHash('sha256').update(buf).digest('hex')
  if (expectedSha256 && weightsChecksum !== expectedSha256)
    throw new WeightsError(`${path} is damaged: its sha256 is ${weightsChecksum.slice(0, 12)}, it should be ${expectedSha256.slice(0, 12)}. Import or fetch the weights again (or reinstall PBAS Inspect for built-in ones).`)
  const weights = parseWeights(buf, path)
  const found = inferArch(weights, path)
  if (arch && arch !== found) throw new WeightsError(`${path} holds ${found} weights, not ${arch}.`)
  return createResNet({ arch: found, weights, source: path, weightsChecksum })
}

/**
 * Accepts:
 * - 'resnet18' | 'resnet50' | 'wide_resnet50_2': weights from the user's store (fetched or imported), else the
 *   built-in copy in resources/ (ResNet18); with ctx.weightsSha256, the file with that checksum
 * - 'random:<arch>': seeded random weights (benchmarks and smoke tests only; features are meaningless)
 * - a .pth / .safetensors file, or a folder holding one: torchvision ResNet weights
 * - a folder with model.json: a tfjs layers/graph model described by pbas-backbone.json, or by a bundled
 *   descriptor in resources/backbones/<folder name>.json
 */
export async function loadBackbone(spec: string, ctx: BackboneContext): Promise<Backbone> {
  if (spec.startsWith('random:')) {
    const arch = spec.slice(7)
    if (!isArch(arch)) throw new Error(`unknown architecture ${arch}; use one of ${Object.keys(RESNET_SPECS).join(', ')}`)
    return createResNet({ arch, layers: 3, seed: ctx.seed ?? 0 })
  }
  if (isArch(spec)) {
    const w = await pickWeights(spec, ctx.dataDir, ctx.resourcesDir, ctx.weightsSha256)
    return fromWeightFile(w.path, spec, w.sha256)
  }
  const path = resolve(spec)
  if (!existsSync(path) && ctx.weightsSha256) {
    // A model trained from a weight file that has since moved (e.g. a development checkout's ../shared copy)
    // still loads when the same bytes are stored or built in.
    const same = await findWeightsBySha(ctx.weightsSha256, ctx.dataDir, ctx.resourcesDir)
    if (same) return fromWeightFile(same.path, same.arch, same.sha256)
  }
  if (!existsSync(path)) throw new Error(`Backbone '${spec}' is neither a known name (${Object.keys(RESNET_SPECS).join(', ')}) nor an existing file or folder.`)
  if (statSync(path).isFile()) return fromWeightFile(path)
  if (existsSync(join(path, 'model.json'))) {
    if (existsSync(join(path, DESCRIPTOR_FILE))) return loadTfjsBackbone(path)
    const bundled = join(ctx.resourcesDir, 'backbones', `${basename(path)}.json`)
    if (existsSync(bundled)) return loadTfjsBackbone(path, parseDescriptor(JSON.parse(readFileSync(bundled, 'utf8')), bundled))
    return loadTfjsBackbone(path) // fails with a message saying which descriptor to add
  }
  const files = readdirSync(path).filter((f) => /\.(safetensors|pth|pt)$/.test(f)).sort()
  // Prefer safetensors: no pickle involved.
  const pick = files.find((f) => f.endsWith('.safetensors')) ?? files[0]
  if (!pick) throw new Error(`${path} holds neither model.json nor a .pth/.safetensors weight file.`)
  return fromWeightFile(join(path, pick))
}

/**
 * The bundled resources folder (descriptors, built-in weights): resources/ at the package root, found by walking
 * up from this file (out/main in a build, inside app.asar when packaged), or a packaged app's
 * `process.resourcesPath/resources` (electron-builder `extraResources: [{ from: 'resources', to: 'resources' }]`).
 */
export function defaultResourcesDir(): string {
  // The CLI bundle lives in out/main, sources in src/main/engine/backbone: walk up to the package root.
  let dir = __dirname
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'resources', 'backbones'))) return join(dir, 'resources')
    dir = resolve(dir, '..')
  }
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged && existsSync(join(packaged, 'resources', 'backbones'))) return join(packaged, 'resources')
  return resolve('resources')
}
