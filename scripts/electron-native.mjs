// Install step (package.json postinstall, and `npm run rebuild:electron`): where Electron's binary is installed, builds each non-N-API native module the main process loads for Electron's Node ABI, beside the Node build that the pbas CLI keeps using.
// Why beside and not in place: the same node_modules serves the CLI on Node 20 (ABI 115) and the desktop app on Electron (its own ABI); better-sqlite3 is not N-API, so it needs one build per ABI. The app picks the Electron one (src/main/workspace/sqlite-binding.ts).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ELECTRON_REBUILT, electronBuildDir, registerKind } from './native-abi.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(ROOT, 'package.json'))
const say = (line) => console.log(`electron-native: ${line}`)

/** Electron's version and Node ABI, or null when its binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1, offline, install script blocked). */
function installedElectron() {
  let bin
  try {
    bin = require('electron')
  } catch {
    return null
  }
  if (typeof bin !== 'string' || !existsSync(bin)) return null
  const dir = dirname(require.resolve('electron/package.json'))
  const abiFile = join(dir, 'abi_version')
  const abi = existsSync(abiFile)
    ? readFileSync(abiFile, 'utf8').trim()
    : spawnSync(bin, ['-p', 'process.versions.modules'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' }).stdout.trim()
  return { version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version, abi }
}

function run(cmd, args, cwd) {
  say(`${cmd} ${args.join(' ')}`)
  return spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, npm_config_runtime: 'electron' } }).status === 0
}

/** A build of `mod` for Electron: a prebuilt binary when one is published, else compiled against Electron's headers. */
function buildFor(electron, mod) {
  const pkgDir = dirname(require.resolve(`${mod.name}/package.json`))
  const dest = join(pkgDir, electronBuildDir(electron.abi), mod.file.split('/').pop())
  if (existsSync(dest) && JSON.stringify(registerKind(dest)) === JSON.stringify({ abi: Number(electron.abi) })) return say(`${mod.name}: Electron ${electron.version} build present (${dest})`)
  // Work on a copy: an in-place rebuild would replace the Node build the CLI and the tests load.
  const work = join(mkdtempSync(join(tmpdir(), 'pbas-electron-native-')), mod.name.replace('/', '+'))
  cpSync(pkgDir, work, { recursive: true, filter: (src) => !src.startsWith(join(pkgDir, 'build')) })
  const target = ['--runtime=electron', `--target=${electron.version}`, `--arch=${process.arch}`]
  const prebuild = join(dirname(require.resolve('prebuild-install/package.json', { paths: [pkgDir] })), 'bin.js')
  const nodeGyp = process.env.npm_config_node_gyp
  const ok =
    run(process.execPath, [prebuild, ...target], work) ||
    (nodeGyp && run(process.execPath, [nodeGyp, 'rebuild', ...target, '--dist-url=https://electronjs.org/headers'], work))
  const built = join(work, mod.file)
  if (!ok || !existsSync(built) || JSON.stringify(registerKind(built)) !== JSON.stringify({ abi: Number(electron.abi) })) {
    rmSync(dirname(work), { recursive: true, force: true })
    throw new Error(`could not build ${mod.name} for Electron ${electron.version} (no prebuilt binary, and compiling needs Electron's headers from electronjs.org and a C++ toolchain)`)
  }
  mkdirSync(dirname(dest), { recursive: true })
  cpSync(built, dest)
  rmSync(dirname(work), { recursive: true, force: true })
  say(`${mod.name}: built for Electron ${electron.version} (Node ABI ${electron.abi}) at ${dest}`)
}

const electron = installedElectron()
if (!electron) {
  say("Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1, offline, or its install script blocked), so nothing is built for it; the CLI and `npm run serve` (the app in a browser) need none of it.")
} else {
  try {
    for (const mod of ELECTRON_REBUILT) buildFor(electron, mod)
  } catch (err) {
    // Never fail `npm ci` for the desktop app's sake: `npm start` checks again and says what to do.
    say(`${err.message}; \`npm start\` will not open the desktop app until \`npm run rebuild:electron\` succeeds. The CLI and \`npm run serve\` work as they are.`)
  }
}
