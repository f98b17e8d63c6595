// Types of scripts/native-abi.mjs (plain JavaScript: the install step runs it before any TypeScript tooling).
/** Native modules that are not N-API and that Electron's main process loads; scripts/electron-native.mjs builds each for Electron. */
export declare const ELECTRON_REBUILT: readonly { name: string; file: string }[]
/** Folder (inside the package) of a module's build for Electron with Node ABI `abi`. */
export declare function electronBuildDir(abi: number | string): string
/** Names of the dynamic symbols an ELF shared object defines; null for a file that is not a 64-bit little-endian ELF. */
export declare function elfDynamicSymbols(buf: Buffer): string[] | null
/** How a .node file registers itself: N-API, one Node ABI, no Node register symbol at all, or not an ELF file. */
export declare function registerKind(path: string): 'napi' | 'other' | 'not-elf' | { abi: number }
