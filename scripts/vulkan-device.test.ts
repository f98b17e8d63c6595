import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BACKPORTS_LINE, ensureSoftwareGpu, type AptPlaces } from './vulkan-device'
import type { ToolEnv } from './test-tools'

// A fake apt-get that logs its arguments, and apt's places in a temporary folder.
let dir: string
let places: AptPlaces
const aptLog = () => join(dir, 'apt.log')
const aptCalls = () => (existsSync(aptLog()) ? readFileSync(aptLog(), 'utf8').trim().split('\n') : [])

function toolEnv(over: Partial<ToolEnv> = {}): ToolEnv & { lines: string[] } {
  const lines: string[] = []
  return { env: { PATH: join(dir, 'bin') }, playwrightChromium: () => null, isRoot: true, log: (l) => lines.push(l), lines, ...over }
}

/** A probe that finds the adapter once apt-get has "installed" mesa-vulkan-drivers. */
const probe = () => (aptCalls().some((c) => c.startsWith('install') && c.includes('mesa-vulkan-drivers')) ? 'llvmpipe: Mesa 25.0.7' : null)

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pbas-vulkan-'))
  mkdirSync(join(dir, 'bin'))
  mkdirSync(join(dir, 'sources.list.d'))
  writeFileSync(join(dir, 'bin', 'apt-get'), `#!/bin/sh\necho "$*" >> ${aptLog()}\n`)
  chmodSync(join(dir, 'bin', 'apt-get'), 0o755)
  places = { sourcesDir: join(dir, 'sources.list.d'), sourcesList: join(dir, 'sources.list'), osRelease: join(dir, 'os-release') }
  writeFileSync(places.osRelease, 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\n')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the software Vulkan device for the GPU-path tests', () => {
  it('uses an adapter that is there without calling apt', () => {
    const t = toolEnv()
    expect(ensureSoftwareGpu(t, () => 'NVIDIA H200', places)).toBe('NVIDIA H200')
    expect(aptCalls()).toEqual([])
    expect(t.lines).toEqual(['test tools: WebGPU adapter NVIDIA H200'])
  })

  it("as root on Debian 12, adds bookworm-backports and installs Mesa's Vulkan drivers from it", () => {
    expect(ensureSoftwareGpu(toolEnv(), probe, places)).toBe('llvmpipe: Mesa 25.0.7')
    expect(readFileSync(join(places.sourcesDir, 'bookworm-backports.list'), 'utf8')).toBe(BACKPORTS_LINE + '\n')
    expect(aptCalls()).toEqual(['update -qq', 'install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1'])
  })

  it('does not add the suite twice, and elsewhere installs from the release itself', () => {
    writeFileSync(join(places.sourcesDir, 'debian.sources'), 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\n')
    ensureSoftwareGpu(toolEnv(), probe, places)
    expect(existsSync(join(places.sourcesDir, 'bookworm-backports.list'))).toBe(false)
    writeFileSync(places.osRelease, 'VERSION_CODENAME=trixie\n')
    rmSync(aptLog())
    ensureSoftwareGpu(toolEnv(), probe, places)
    expect(aptCalls()).toEqual(['update -qq', 'install -y -qq mesa-vulkan-drivers libvulkan1'])
  })

  it('not root: installs nothing and says how, without failing (the tests skip with that reason)', () => {
    const t = toolEnv({ isRoot: false })
    expect(ensureSoftwareGpu(t, probe, places)).toBeNull()
    expect(aptCalls()).toEqual([])
    expect(t.lines[0]).toMatch(/no WebGPU adapter here, so the GPU-path tests skip; .*sudo apt-get install -y mesa-vulkan-drivers libvulkan1.*bookworm-backports/)
  })
})
