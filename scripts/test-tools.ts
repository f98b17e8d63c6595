// What the tests need outside npm (a Chromium, poppler's pdftotext/pdfinfo, python3-onnx): find them, install them with apt as root, or say what to install.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromiumCandidates, onPath, type ChromiumCandidate } from '../src/main/report/pdf-chromium'

/** How the lookups reach the system; tests pass a fake PATH and a fake Playwright cache. */
export interface ToolEnv {
  env: NodeJS.ProcessEnv
  /** the Chromium this Playwright version downloads into its cache (absent here: we never `playwright install`) */
  playwrightChromium: () => string | null
  isRoot: boolean
  log: (line: string) => void
}

/** The Chromium to drive, and why it was chosen. */
export interface FoundChromium {
  path: string
  from: ChromiumCandidate['from'] | 'Playwright cache'
  version: string
}

/** Chromium's apt package names on Debian and on Ubuntu. */
const CHROMIUM_PACKAGES = ['chromium', 'chromium-browser']
const POPPLER_TOOLS = ['pdftotext', 'pdfinfo']

/** The version line of a browser that really starts (Ubuntu's chromium-browser can be a stub asking for a snap), or null. */
function browserVersion(path: string, env: NodeJS.ProcessEnv): string | null {
  const r = spawnSync(path, ['--version'], { env, encoding: 'utf8', timeout: 20_000 })
  const out = `${r.stdout ?? ''}`.trim()
  return r.status === 0 && /chrom/i.test(out) ? out.split('\n')[0] : null
}

/** The first Chromium that starts: the app's own candidates (PBAS_CHROMIUM, PATH, install folders), then Playwright's cache. */
export function findChromium(t: ToolEnv): FoundChromium | null {
  const cached = t.playwrightChromium()
  const candidates: { path: string; from: FoundChromium['from'] }[] = [...chromiumCandidates(t.env), ...(cached && existsSync(cached) ? [{ path: cached, from: 'Playwright cache' as const }] : [])]
  for (const c of candidates) {
    const version = browserVersion(c.path, t.env)
    if (version) return { ...c, version }
  }
  return null
}

/** Missing apt packages, by what is missing. */
function missingPackages(t: ToolEnv): { chromium: boolean; poppler: string[] } {
  return { chromium: !findChromium(t), poppler: POPPLER_TOOLS.filter((x) => !onPath(x, t.env)) }
}

/** Runs apt-get non-interactively, logging the call; true when it succeeded. */
export function apt(t: ToolEnv, args: string[]): boolean {
  t.log(`test tools: apt-get ${args.join(' ')}`)
  const r = spawnSync('apt-get', args, { env: { ...t.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'inherit'] })
  return r.status === 0
}

/** The one line printed when we may not (or cannot) install: what is missing, why we did not install it, how to. */
export function installHint(missing: { chromium: boolean; poppler: string[] }, why: string, withApt = true): string {
  const what = [missing.chromium ? 'a Chromium' : '', missing.poppler.join('/')].filter(Boolean).join(' and ')
  const pkgs = [missing.chromium ? 'chromium' : '', missing.poppler.length ? 'poppler-utils' : ''].filter(Boolean).join(' ')
  const how = withApt ? `run \`sudo apt-get install -y ${pkgs}\`${missing.chromium ? ' (Ubuntu: chromium-browser)' : ''}` : `install ${pkgs} with your package manager`
  return `npm test: the browser tests need ${what}, missing here (${why}); ${how}${missing.chromium ? ', or set PBAS_CHROMIUM to a Chromium or Chrome executable' : ''}.`
}

/**
 * Makes sure a Chromium and pdftotext/pdfinfo are there. Missing ones are installed with apt-get when running
 * as root (as CI does); otherwise this throws with one line saying what to install. Returns the Chromium.
 */
export function ensureTestTools(t: ToolEnv): FoundChromium {
  const missing = missingPackages(t)
  if (missing.chromium || missing.poppler.length) {
    if (!t.isRoot) throw new Error(installHint(missing, 'not root, so not installing them'))
    if (!onPath('apt-get', t.env)) throw new Error(installHint(missing, 'no apt-get to install them with', false))
    if (!apt(t, ['update', '-qq'])) throw new Error(installHint(missing, '`apt-get update` failed'))
    if (missing.poppler.length && !apt(t, ['install', '-y', '-qq', 'poppler-utils'])) throw new Error(installHint(missing, 'installing poppler-utils failed'))
    // Debian calls it chromium, Ubuntu chromium-browser; the first that installs and starts wins.
    if (missing.chromium) for (const name of CHROMIUM_PACKAGES) if (apt(t, ['install', '-y', '-qq', name]) && findChromium(t)) break
    const still = missingPackages(t)
    if (still.chromium || still.poppler.length) throw new Error(installHint(still, 'apt-get could not provide it'))
  }
  const chromium = findChromium(t)!
  t.log(`test tools: ${chromium.version} (${chromium.path}, from ${chromium.from}); ${POPPLER_TOOLS.map((x) => onPath(x, t.env)).join(', ')}`)
  return chromium
}

/** True when `python` can import onnx (the export test's onnx.checker). */
function hasPythonOnnx(python: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync(python, ['-c', 'import onnx'], { env, stdio: 'ignore', timeout: 60_000 }).status === 0
}

/**
 * The export test runs onnx.checker through Debian's python3-onnx: installed with apt as root when missing.
 * Optional: without it that one test is skipped with a printed reason, so this never fails `npm test`.
 */
export function ensurePythonOnnx(t: ToolEnv, python = '/usr/bin/python3'): boolean {
  if (hasPythonOnnx(python, t.env)) return true
  if (t.isRoot && onPath('apt-get', t.env)) {
    const install = () => apt(t, ['install', '-y', '-qq', 'python3-onnx']) && hasPythonOnnx(python, t.env)
    // A machine whose package lists were never fetched needs `apt-get update` first.
    if (install() || (apt(t, ['update', '-qq']) && install())) return true
  }
  t.log('test tools: python3-onnx is missing, so the export test skips onnx.checker; `sudo apt-get install -y python3-onnx` adds it')
  return false
}

/** This machine's ToolEnv: the real PATH, Playwright's own idea of its Chromium, root or not. */
export function systemToolEnv(log: (line: string) => void = () => {}): ToolEnv {
  return {
    env: process.env,
    playwrightChromium: () => {
      try {
        // Loaded only when asked: this module also runs where Playwright is not installed yet.
        const { chromium } = createRequire(__filename)('@playwright/test') as typeof import('@playwright/test')
        return chromium.executablePath()
      } catch {
        return null
      }
    },
    isRoot: process.getuid?.() === 0,
    log,
  }
}
