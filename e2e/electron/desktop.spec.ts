// The same app as a desktop window, via Playwright's Electron support; skipped (with the reason) where no Electron binary exists.
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

/** What to do about a missing binary: electron's own message ("delete node_modules/electron and try installing again") would not help where its download was skipped on purpose. */
const HOW = "npm ci skipped its download (ELECTRON_SKIP_BINARY_DOWNLOAD=1 or offline); on a machine with network access `npm run rebuild:electron` installs it and builds better-sqlite3 for it"

function electronBinary(): { path: string | null; why: string } {
  try {
    const path = createRequire(__filename)('electron') as unknown as string
    return existsSync(path) ? { path, why: '' } : { path: null, why: `the Electron binary ${path} is not installed: ${HOW}` }
  } catch {
    return { path: null, why: `the Electron binary is not installed: ${HOW}` }
  }
}

const bin = electronBinary()
if (!bin.path) console.log(`[electron e2e] skipped: ${bin.why}; browser-mode journeys cover the same screens`)

test.skip(!bin.path, bin.why)

test('the desktop window opens, is sandboxed and shows the engine status', async () => {
  const app = await electron.launch({ executablePath: bin.path!, args: [resolve(__dirname, '..', '..', 'out', 'main', 'index.js')] })
  const win = await app.firstWindow()
  await expect(win.getByTestId('engine-status')).toContainText('Engine')
  expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
  await win.screenshot({ path: 'e2e/artifacts/electron-shell.png' })
  await app.close()
})
