import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { electronBlockers, productionNativeModules } from './native-modules'
import { ELECTRON_REBUILT, electronBuildDir, registerKind } from './native-abi.mjs'

const ROOT = resolve(__dirname, '..')
const mods = productionNativeModules(ROOT)

describe('native modules of the production dependency tree', () => {
  it('are found: sharp and onnxruntime-node as N-API, better-sqlite3 built for this Node', () => {
    const kindOf = (pkg: string, file: RegExp) => mods.find((m) => m.pkg === pkg && file.test(m.file))?.kind
    expect(kindOf('@img/sharp-linux-x64', /\.node$/) ?? kindOf('sharp', /\.node$/)).toBe('napi')
    expect(kindOf('onnxruntime-node', /linux\/x64\/onnxruntime_binding\.node$/)).toBe('napi')
    expect(kindOf('better-sqlite3', /^build\/Release\/better_sqlite3\.node$/)).toEqual({ abi: Number(process.versions.modules) })
  })

  it('each loads in Electron: N-API, or rebuilt for Electron by the install step (scripts/electron-native.mjs)', () => {
    expect(electronBlockers(mods).map((m) => `${m.pkg}/${m.file} exports node_register_module_v${(m.kind as { abi: number }).abi}`)).toEqual([])
    // Without the rebuild step better-sqlite3 would be a blocker: the check is not vacuous.
    expect(electronBlockers(mods, []).map((m) => m.pkg)).toContain('better-sqlite3')
  })

  it("where Electron's binary is installed, the Electron builds exist and carry Electron's ABI", (ctx) => {
    let electronBin: string | null = null
    try {
      electronBin = createRequire(__filename)('electron') as unknown as string
    } catch {
      electronBin = null
    }
    if (!electronBin || !existsSync(electronBin)) {
      console.log("[native modules] Electron's binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or offline): the Electron builds are not checked")
      return ctx.skip()
    }
    const abi = Number(readFileSync(join(ROOT, 'node_modules/electron/abi_version'), 'utf8').trim())
    for (const r of ELECTRON_REBUILT) {
      const built = join(ROOT, 'node_modules', r.name, electronBuildDir(abi), r.file.split('/').pop()!)
      expect(existsSync(built), `${built} (npm run rebuild:electron)`).toBe(true)
      expect(registerKind(built)).toEqual({ abi })
    }
  })
})
