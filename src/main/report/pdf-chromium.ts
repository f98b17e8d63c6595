// HTML -> PDF with a headless Chromium (browser mode and `pbas report`; the desktop app uses Electron's printToPDF).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe']

/** A Chromium or Chrome executable (PBAS_CHROMIUM overrides), or null. */
export function findChromium(): string | null {
  const env = process.env.PBAS_CHROMIUM
  if (env) return existsSync(env) ? env : null
  return CANDIDATES.find((c) => existsSync(c)) ?? null
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
