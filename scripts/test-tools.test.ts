import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensurePythonOnnx, ensureTestTools, findChromium, type ToolEnv } from './test-tools'

// A fake PATH holding only what each case puts there, and a fake apt-get that "installs" packages into it.
let dir: string
let bin: string
let aptLog: string

function tool(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
}
const browser = (name: string, version = 'Chromium 120.0 fake') => tool(join(bin, name), `echo "${version}"`)
const stub = (name: string) => tool(join(bin, name), 'echo "Command requires the chromium snap to be installed." >&2; exit 1')

function fakeApt(opts: { broken?: string[] } = {}): void {
  tool(
    join(bin, 'apt-get'),
    [
      `echo "$*" >> ${aptLog}`,
      '[ "$1" = install ] || exit 0',
      'for p in "$@"; do case "$p" in',
      ...(opts.broken ?? []).map((b) => `  ${b}) exit 100;;`),
      `  chromium|chromium-browser) printf '#!/bin/sh\\necho "Chromium 121.0 from apt"\\n' > ${bin}/$p; /bin/chmod 755 ${bin}/$p;;`,
      `  poppler-utils) for t in pdftotext pdfinfo; do printf '#!/bin/sh\\n' > ${bin}/$t; /bin/chmod 755 ${bin}/$t; done;;`,
      'esac; done',
    ].join('\n'),
  )
}

function toolEnv(over: Partial<ToolEnv> = {}): ToolEnv & { lines: string[] } {
  const lines: string[] = []
  return { env: { PATH: bin }, playwrightChromium: () => null, isRoot: true, log: (l) => lines.push(l), lines, ...over }
}
const aptCalls = () => (existsSync(aptLog) ? readFileSync(aptLog, 'utf8').trim().split('\n') : [])

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pbas-tools-'))
  bin = join(dir, 'bin')
  aptLog = join(dir, 'apt.log')
  mkdirSync(bin)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('npm test finds or installs its browser and PDF tools', () => {
  it('uses what is there without calling apt', () => {
    browser('chromium')
    tool(join(bin, 'pdftotext'), '')
    tool(join(bin, 'pdfinfo'), '')
    fakeApt()
    expect(ensureTestTools(toolEnv())).toMatchObject({ path: join(bin, 'chromium'), from: 'PATH', version: 'Chromium 120.0 fake' })
    expect(aptCalls()).toEqual([])
  })

  it('as root, installs the missing packages with apt-get and then finds them', () => {
    fakeApt()
    const t = toolEnv()
    expect(ensureTestTools(t)).toMatchObject({ path: join(bin, 'chromium'), version: 'Chromium 121.0 from apt' })
    expect(aptCalls()).toEqual(['update -qq', 'install -y -qq poppler-utils', 'install -y -qq chromium'])
    expect(t.lines.at(-1)).toContain(join(bin, 'pdftotext'))
  })

  it("falls back to Ubuntu's chromium-browser when apt has no chromium package", () => {
    fakeApt({ broken: ['chromium'] })
    tool(join(bin, 'pdftotext'), '')
    tool(join(bin, 'pdfinfo'), '')
    expect(ensureTestTools(toolEnv()).path).toBe(join(bin, 'chromium-browser'))
    expect(aptCalls()).toEqual(['update -qq', 'install -y -qq chromium', 'install -y -qq chromium-browser'])
  })

  it('not root: stops with one line saying what to install, and installs nothing', () => {
    fakeApt()
    tool(join(bin, 'pdfinfo'), '')
    expect(() => ensureTestTools(toolEnv({ isRoot: false }))).toThrow(
      'npm test: the browser tests need a Chromium and pdftotext, missing here (not root, so not installing them); run `sudo apt-get install -y chromium poppler-utils` (Ubuntu: chromium-browser), or set PBAS_CHROMIUM to a Chromium or Chrome executable.',
    )
    expect(aptCalls()).toEqual([])
  })

  it('root without apt-get, or apt-get that cannot provide them: one line, no pretending', () => {
    expect(() => ensureTestTools(toolEnv())).toThrow(/missing here \(no apt-get to install them with\); install chromium poppler-utils with your package manager/)
    fakeApt({ broken: ['chromium', 'chromium-browser', 'poppler-utils'] })
    expect(() => ensureTestTools(toolEnv())).toThrow(/missing here \(installing poppler-utils failed\)/)
  })

  it("skips a chromium that does not start (Ubuntu's snap stub) for one Playwright has, and honours PBAS_CHROMIUM first", () => {
    stub('chromium-browser')
    const cached = join(dir, 'ms-playwright-chrome')
    tool(cached, 'echo "Google Chrome for Testing 140.0"')
    expect(findChromium(toolEnv({ playwrightChromium: () => cached }))).toMatchObject({ path: cached, from: 'Playwright cache' })
    expect(findChromium(toolEnv({ playwrightChromium: () => join(dir, 'not-downloaded') }))).toBeNull()
    const mine = join(dir, 'my-chrome')
    tool(mine, 'echo "Chromium 99 custom"')
    browser('chromium')
    expect(findChromium(toolEnv({ env: { PATH: bin, PBAS_CHROMIUM: mine } }))).toMatchObject({ path: mine, from: 'PBAS_CHROMIUM' })
  })
})

describe('python3-onnx for the export test (optional)', () => {
  // A python3 that imports onnx once apt-get has "installed" python3-onnx.
  const python = () => {
    tool(join(bin, 'python3'), `[ -e ${join(dir, 'onnx-installed')} ]`)
    return join(bin, 'python3')
  }
  const aptInstallsOnnx = (needsUpdate: boolean) =>
    tool(join(bin, 'apt-get'), [`echo "$*" >> ${aptLog}`, needsUpdate ? `[ "$1" = update ] && /usr/bin/touch ${join(dir, 'lists')}` : `/usr/bin/touch ${join(dir, 'lists')}`, `[ "$1" = install ] && [ -e ${join(dir, 'lists')} ] && /usr/bin/touch ${join(dir, 'onnx-installed')}`, 'exit 0'].join('\n'))

  it('as root, installs it (fetching the package lists when the first try fails)', () => {
    aptInstallsOnnx(true)
    const t = toolEnv()
    expect(ensurePythonOnnx(t, python())).toBe(true)
    expect(aptCalls()).toEqual(['install -y -qq python3-onnx', 'update -qq', 'install -y -qq python3-onnx'])
  })

  it('not root: says how to add it and carries on (the test is skipped, not failed)', () => {
    aptInstallsOnnx(false)
    const t = toolEnv({ isRoot: false })
    expect(ensurePythonOnnx(t, python())).toBe(false)
    expect(aptCalls()).toEqual([])
    expect(t.lines).toEqual(['test tools: python3-onnx is missing, so the export test skips onnx.checker; `sudo apt-get install -y python3-onnx` adds it'])
  })
})

describe('scripts/ensure-test-tools.ts (what `npm test` runs first)', () => {
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'ensure-test-tools.ts')], { env: { ...env, HOME: dir }, encoding: 'utf8' })

  it.runIf(process.getuid?.() === 0)('as root on a bare PATH, installs through (fake) apt-get and exits 0', () => {
    fakeApt()
    tool(join(bin, 'python3'), 'exit 0')
    const r = run({ PATH: bin, PBAS_PYTHON: join(bin, 'python3') })
    expect([r.status, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toMatch(/test tools: Chromium 121.0 from apt \(.*\/bin\/chromium, from PATH\)/)
    expect(aptCalls()).toEqual(['update -qq', 'install -y -qq poppler-utils', 'install -y -qq chromium'])
  })

  it('exits 1 with one line when nothing can be installed', () => {
    const r = run({ PATH: bin })
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^npm test: the browser tests need a Chromium and pdftotext\/pdfinfo, missing here/)
  })
})
