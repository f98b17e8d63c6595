// `npm start`: opens the desktop app (electron-vite preview) when Electron can run it here; otherwise says what is missing and offers `npm run serve` (the same app in a browser).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ELECTRON_REBUILT, electronBuildDir } from './native-abi.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(ROOT, 'package.json'))
const SERVE = 'Without it, `npm run serve` opens the same app in your browser (it needs no Electron).'

/** What keeps the desktop app from starting here, or null. */
export function missingForDesktop() {
  let bin
  try {
    bin = require('electron')
  } catch {
    bin = null
  }
  if (typeof bin !== 'string' || !existsSync(bin))
    return "The desktop app needs Electron's binary, which is not installed: `npm ci` skipped its download (ELECTRON_SKIP_BINARY_DOWNLOAD=1, no network, or install scripts disabled). On a machine with network access, run `npm run rebuild:electron` (it downloads Electron, then builds better-sqlite3 for it) and `npm start` again."
  const dir = dirname(require.resolve('electron/package.json'))
  const abi = readFileSync(join(dir, 'abi_version'), 'utf8').trim()
  for (const m of ELECTRON_REBUILT) {
    const built = join(dirname(require.resolve(`${m.name}/package.json`)), electronBuildDir(abi), m.file.split('/').pop())
    if (!existsSync(built)) return `Electron is installed, but ${m.name} has no build for it (${built}): run \`npm run rebuild:electron\` with network access, then \`npm start\` again.`
  }
  return null
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = missingForDesktop()
  if (missing) {
    console.error(`npm start: ${missing}\n${SERVE}`)
    process.exit(1)
  }
  const r = spawnSync(process.execPath, [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), 'preview', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
  process.exit(r.status ?? 1)
}
