// The same app as a desktop window, via Playwright's Electron support; skipped (with the reason) where no Electron binary exists.
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

function electronBinary(): { path: string | null; why: string } {
  try {
    const path = createRequire(__filename)('electron') as unknown as string
    return existsSync(path) ? { path, why: '' } : { path: null, why: `the Electron binary ${path} is not installed` }
  } catch (err) {
    return { path: null, why: `the Electron binary is not installed (${(err as Error).message.split('\n')[0]})` }
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
