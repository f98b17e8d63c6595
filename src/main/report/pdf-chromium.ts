// HTML -> PDF with a headless Chromium (browser mode and `pbas report`; the desktop app uses Electron's printToPDF).
import { execFile } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Chromium's and Chrome's executable names on Linux (Debian: chromium, Ubuntu: chromium-browser). */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']
/** Where Chrome installs itself where PATH does not lead to it. */
const INSTALL_PATHS = ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe']

/** The executable `name` on the PATH of `env`, or null. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, name)
    try {
      accessSync(p, constants.X_OK)
      return p
    } catch {
      // not in this folder
    }
  }
  return null
}

/** One place a Chromium may be, and how it was found. */
export interface ChromiumCandidate {
  path: string
  from: 'PBAS_CHROMIUM' | 'PATH' | 'install folder'
}

/** Existing Chromium/Chrome executables in the order to try: PBAS_CHROMIUM alone when set, else PATH, else install folders. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): ChromiumCandidate[] {
  if (env.PBAS_CHROMIUM) return existsSync(env.PBAS_CHROMIUM) ? [{ path: env.PBAS_CHROMIUM, from: 'PBAS_CHROMIUM' }] : []
  const onPathNow = NAMES.map((n) => onPath(n, env)).filter((p): p is string => p !== null).map((path) => ({ path, from: 'PATH' as const }))
  return [...onPathNow, ...INSTALL_PATHS.filter((p) => existsSync(p)).map((path) => ({ path, from: 'install folder' as const }))]
}

/** A Chromium or Chrome executable (PBAS_CHROMIUM overrides), or null. */
export function findChromium(): string | null {
  return chromiumCandidates()[0]?.path ?? null
}

/** Prints an HTML file to PDF (A4, backgrounds on, no header or footer). */
export function chromiumPdf(htmlPath: string, pdfPath: string, timeoutMs = 120_000): Promise<void> {
  const exe = findChromium()
  if (!exe) return Promise.reject(new Error('no Chromium or Chrome found for PDF export; install chromium or set PBAS_CHROMIUM to its executable (the HTML report was written)'))
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', '--run-all-compositor-stages-before-draw', `--print-to-pdf=${pdfPath}`, pathToFileURL(htmlPath).href]
  return new Promise((resolve, reject) => {
    execFile(exe, args, { timeout: timeoutMs }, (err, _out, stderr) => {
      if (err || !existsSync(pdfPath)) reject(new Error(`Chromium could not print ${htmlPath} to PDF: ${err?.message ?? ''} ${String(stderr).slice(-400)}`))
      else resolve()
    })
  })
}
