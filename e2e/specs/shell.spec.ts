// Smoke journey: the built renderer loads in Chromium under its CSP and says whether the engine is connected.
import { expect, test } from '@playwright/test'
import { AppShell } from '../pages/app-shell'

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
