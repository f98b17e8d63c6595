// The native modules (.node files) of the production dependency tree, and which of them Electron's main process could not load.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { ELECTRON_REBUILT, registerKind } from './native-abi.mjs'

/** One .node file of an installed production package. */
export interface NativeModule {
  pkg: string
  /** path inside the package */
  file: string
  kind: ReturnType<typeof registerKind>
}

/** Where `name` resolves from `fromDir`, by Node's node_modules lookup. */
function packageDir(name: string, fromDir: string): string | null {
  for (let d = fromDir; ; d = dirname(d)) {
    const p = join(d, 'node_modules', name)
    if (existsSync(join(p, 'package.json'))) return p
    if (dirname(d) === d) return null
  }
}

function nodeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    // Nested node_modules are packages of their own (visited when something depends on them); obj.target holds node-gyp's intermediate copies, never loaded.
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'obj.target' ? [] : nodeFiles(p)
    return e.isFile() && e.name.endsWith('.node') ? [p] : []
  })
}

/** Every .node file in the packages that `dependencies` and `optionalDependencies` of `root` pull in (dev dependencies excluded). */
export function productionNativeModules(root: string): NativeModule[] {
  const seen = new Map<string, string>()
  const visit = (dir: string) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const at = packageDir(name, dir)
      if (!at || seen.has(at)) continue // an optional dependency for another platform is simply absent
      seen.set(at, name)
      visit(at)
    }
  }
  visit(root)
  return [...seen].flatMap(([dir, pkg]) => nodeFiles(dir).map((f) => ({ pkg, file: relative(dir, f).split(sep).join('/'), kind: registerKind(f) })))
}

/** The modules Electron could not load as installed: built for one Node ABI and not rebuilt for Electron by the install step. */
export function electronBlockers(mods: NativeModule[], rebuilt: readonly { name: string; file: string }[] = ELECTRON_REBUILT): NativeModule[] {
  return mods.filter((m) => typeof m.kind === 'object' && !rebuilt.some((r) => r.name === m.pkg && r.file === m.file))
}
