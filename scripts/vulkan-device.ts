// The software Vulkan device the GPU-path tests run on (Mesa's lavapipe): find it, install it with apt as root, or say how.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import { onPath } from '../src/main/report/pdf-chromium'
import { apt, type ToolEnv } from './test-tools'

/** Where apt's sources and the OS name live; tests point them at a temporary folder. */
export interface AptPlaces {
  sourcesDir: string
  sourcesList: string
  osRelease: string
}

export const SYSTEM_APT: AptPlaces = { sourcesDir: '/etc/apt/sources.list.d', sourcesList: '/etc/apt/sources.list', osRelease: '/etc/os-release' }

/** Debian 12's Mesa 22.3 lavapipe lacks what Dawn requires (shaderUniform*ArrayDynamicIndexing); backports' Mesa 25 has it. */
export const BACKPORTS_LINE = 'deb http://deb.debian.org/debian bookworm-backports main'
const PACKAGES = ['mesa-vulkan-drivers', 'libvulkan1']
export const SOFTWARE_GPU_HINT = `GPU-path tests need a WebGPU adapter; a software one: \`sudo apt-get install -y ${PACKAGES.join(' ')}\` (Debian 12: add \`${BACKPORTS_LINE}\` to apt's sources and install with \`-t bookworm-backports\`)`

/** The first WebGPU adapter's description as Dawn (npm `webgpu`) sees it in a fresh process, or null when there is none. */
export function probeWebGpu(): string | null {
  const url = pathToFileURL(createRequire(__filename).resolve('webgpu')).href
  const script = `const { create } = await import(${JSON.stringify(url)}); const a = await create([]).requestAdapter(); console.log(a ? 'adapter: ' + a.info.description : 'none'); process.exit(0)`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
  const line = `${r.stdout ?? ''}`.split('\n').find((l) => l.startsWith('adapter: '))
  return line ? line.slice('adapter: '.length) : null
}

function aptSourcesMention(places: AptPlaces, suite: string): boolean {
  const files = [places.sourcesList, ...(existsSync(places.sourcesDir) ? readdirSync(places.sourcesDir).map((f) => join(places.sourcesDir, f)) : [])]
  return files.some((f) => existsSync(f) && readFileSync(f, 'utf8').split('\n').some((l) => !l.trimStart().startsWith('#') && l.includes(suite)))
}

/**
 * Makes sure a WebGPU adapter exists for the GPU-path tests: as root with apt-get, installs Mesa's Vulkan drivers
 * (from bookworm-backports on Debian 12, adding that suite to apt's sources). Never fails: without an adapter it
 * logs why and how to add one (the tests then skip with that reason). Returns the adapter's name or null.
 */
export function ensureSoftwareGpu(t: ToolEnv, probe: () => string | null = probeWebGpu, places: AptPlaces = SYSTEM_APT): string | null {
  let found = probe()
  if (!found && t.isRoot && onPath('apt-get', t.env)) {
    const bookworm = existsSync(places.osRelease) && /^VERSION_CODENAME=bookworm$/m.test(readFileSync(places.osRelease, 'utf8'))
    if (bookworm && !aptSourcesMention(places, 'bookworm-backports')) {
      t.log(`test tools: adding ${places.sourcesDir}/bookworm-backports.list (${BACKPORTS_LINE})`)
      writeFileSync(join(places.sourcesDir, 'bookworm-backports.list'), BACKPORTS_LINE + '\n')
    }
    if (apt(t, ['update', '-qq'])) apt(t, ['install', '-y', '-qq', ...(bookworm ? ['-t', 'bookworm-backports'] : []), ...PACKAGES])
    found = probe()
  }
  t.log(found ? `test tools: WebGPU adapter ${found}` : `test tools: no WebGPU adapter here, so the GPU-path tests skip; ${SOFTWARE_GPU_HINT}`)
  return found
}
