// Backbone weights shipped inside the app (resources/backbones/*/SOURCE.txt), so a fresh offline machine has real ImageNet features.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RESNET_SPECS, type ResNetArch } from './resnet-spec'

/** Folders under resources/ that hold built-in weights; each has a SOURCE.txt naming file, sha256, arch and layers. */
export const BUILT_IN_FOLDERS = ['backbones/resnet18_imagenet_to_layer3'] as const

/** One built-in weight file, described by its SOURCE.txt. */
export interface BuiltInWeights {
  arch: ResNetArch
  /** absolute path of the weight file */
  path: string
  sha256: string
  layers: number
  /** the SOURCE.txt that says where the file comes from and under which terms */
  sourceFile: string
}

function field(text: string, key: string, file: string): string {
  const m = new RegExp(`^${key}: (\\S+)`, 'm').exec(text)
  if (!m) throw new Error(`${file} has no '${key}:' line; the app's resources are damaged, reinstall PBAS Inspect.`)
  return m[1]
}

/** Parses a built-in SOURCE.txt (the lines `file:`, `sha256:`, `arch:` and `layers:`). */
export function parseBuiltInSource(text: string, dir: string): BuiltInWeights {
  const sourceFile = join(dir, 'SOURCE.txt')
  const arch = field(text, 'arch', sourceFile)
  if (!(arch in RESNET_SPECS)) throw new Error(`${sourceFile} names architecture '${arch}', which this version does not build.`)
  const sha256 = field(text, 'sha256', sourceFile)
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${sourceFile}: sha256 must be 64 hex digits.`)
  return { arch: arch as ResNetArch, path: join(dir, field(text, 'file', sourceFile)), sha256, layers: Number(field(text, 'layers', sourceFile)), sourceFile }
}

/** The built-in weights present under `resourcesDir` (a development checkout and the packaged app both have them). */
export function listBuiltInWeights(resourcesDir: string): BuiltInWeights[] {
  const out: BuiltInWeights[] = []
  for (const folder of BUILT_IN_FOLDERS) {
    const dir = join(resourcesDir, folder)
    const src = join(dir, 'SOURCE.txt')
    if (!existsSync(src)) continue
    const w = parseBuiltInSource(readFileSync(src, 'utf8'), dir)
    if (existsSync(w.path)) out.push(w)
  }
  return out
}
