// Which better-sqlite3 binary to load: Node's own build for the CLI and tests, the install step's Electron build inside the desktop app.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ELECTRON_REBUILT, electronBuildDir } from '../../../scripts/native-abi.mjs'

const req = createRequire(typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url))

/**
 * Under Electron, the path of better-sqlite3 built for Electron's Node ABI (scripts/electron-native.mjs writes it at
 * install); undefined under Node, where better-sqlite3 loads its own build. better-sqlite3 is not N-API, so one
 * binary cannot serve both.
 */
export function sqliteNativeBinding(versions: NodeJS.ProcessVersions = process.versions): string | undefined {
  if (!versions.electron) return undefined
  const mod = ELECTRON_REBUILT.find((m) => m.name === 'better-sqlite3')!
  const file = join(dirname(req.resolve('better-sqlite3/package.json')), electronBuildDir(versions.modules), mod.file.split('/').pop()!)
  if (!existsSync(file))
    throw new Error(`better-sqlite3 has no build for this Electron (${versions.electron}, Node ABI ${versions.modules}) at ${file}. Run \`npm run rebuild:electron\` with network access, or use \`npm run serve\` to open the app in a browser.`)
  return file
}
