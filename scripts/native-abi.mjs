// Which Node ABI a native module (.node, ELF) was built for, read from its exported register symbol: N-API loads in Node and Electron alike, node_register_module_vN only under ABI N.
import { readFileSync } from 'node:fs'

/** Native modules that are not N-API and that Electron's main process (or its worker) loads: scripts/electron-native.mjs builds each for Electron, beside the Node build. */
export const ELECTRON_REBUILT = [{ name: 'better-sqlite3', file: 'build/Release/better_sqlite3.node' }]

/** Folder (inside the package) of a module's build for Electron with Node ABI `abi`; the app loads it from there under Electron. */
export const electronBuildDir = (abi) => `build/electron-v${abi}`

/**
 * Names of the dynamic symbols an ELF shared object defines (its .dynsym, as `nm -D --defined-only` lists them).
 * Returns null for a file that is not a little-endian 64-bit ELF (a Windows or macOS binary shipped for another platform).
 * @param {Buffer} buf
 * @returns {string[] | null}
 */
export function elfDynamicSymbols(buf) {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) return null
  const shoff = Number(buf.readBigUInt64LE(0x28))
  const shentsize = buf.readUInt16LE(0x3a)
  const shnum = buf.readUInt16LE(0x3c)
  const section = (i) => {
    const o = shoff + i * shentsize
    return { type: buf.readUInt32LE(o + 4), offset: Number(buf.readBigUInt64LE(o + 0x18)), size: Number(buf.readBigUInt64LE(o + 0x20)), link: buf.readUInt32LE(o + 0x28), entsize: Number(buf.readBigUInt64LE(o + 0x38)) }
  }
  const SHT_DYNSYM = 11
  const names = []
  for (let i = 0; i < shnum; i++) {
    const s = section(i)
    if (s.type !== SHT_DYNSYM) continue
    const strtab = section(s.link)
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += s.entsize || 24) {
      const shndx = buf.readUInt16LE(o + 6)
      if (shndx === 0) continue // undefined here: imported, not exported
      const start = strtab.offset + buf.readUInt32LE(o)
      const end = buf.indexOf(0, start)
      if (end > start) names.push(buf.toString('latin1', start, end))
    }
  }
  return names
}

/**
 * How a .node file registers itself: 'napi' (napi_register_module_v1, any Node or Electron), { abi: N }
 * (node_register_module_vN, only that ABI), 'other' (no Node register symbol: a SQLite extension or such, not a
 * Node addon) or 'not-elf'.
 * @param {string} path
 * @returns {'napi' | 'other' | 'not-elf' | { abi: number }}
 */
export function registerKind(path) {
  const symbols = elfDynamicSymbols(readFileSync(path))
  if (!symbols) return 'not-elf'
  if (symbols.includes('napi_register_module_v1')) return 'napi'
  const v = symbols.map((s) => /^node_register_module_v(\d+)$/.exec(s)).find(Boolean)
  return v ? { abi: Number(v[1]) } : 'other'
}
