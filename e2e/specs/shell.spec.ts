// Smoke journey: the built renderer loads in Chromium under its CSP and says whether the engine is connected.
import { expect, test } from '@playwright/test'
import { AppShell } from '../pages/app-shell'
import { E2E_TOKEN } from '../playwright.config'

test('the app shell renders and reports that no engine is connected in a plain browser', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const shell = new AppShell(page)
  await shell.open()
  await expect(shell.heading).toBeVisible()
  await expect(shell.engineError).toContainText('The engine is not connected')
  expect(errors).toEqual([])
  await page.screenshot({ path: 'e2e/artifacts/shell.png', fullPage: true })
})

test('with the token from `pbas serve` the app talks to the engine and hides the token', async ({ page }) => {
  const shell = new AppShell(page)
  await shell.open(E2E_TOKEN)
  await expect(shell.engineStatus).toContainText(/Engine \d+\.\d+\.\d+ on wasm \(CPU\)/)
  expect(page.url()).not.toContain(E2E_TOKEN)
  await page.screenshot({ path: 'e2e/artifacts/shell-connected.png', fullPage: true })
})
