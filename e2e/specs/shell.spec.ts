// Smoke journey: the built renderer loads in Chromium under its CSP and says whether the engine is connected; themes and routes.
import { expect, test } from '@playwright/test'
import { AppShell } from '../pages/app-shell'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'

test('the app shell renders and reports that no engine is connected in a plain browser', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const shell = new AppShell(page)
  await shell.open()
  await expect(shell.heading).toBeVisible()
  await expect(shell.engineError).toContainText('The engine is not connected')
  expect(errors).toEqual([])
  await checkScreen(page, 'shell-not-connected')
})

test('with the token from `pbas serve` the app talks to the engine, hides the token, and follows the theme toggle', async ({ page }) => {
  const shell = new AppShell(page)
  await shell.open(E2E_TOKEN)
  await expect(shell.engineStatus).toContainText(/Engine \d+\.\d+\.\d+ on wasm \(CPU\)/)
  expect(page.url()).not.toContain(E2E_TOKEN)
  expect(new URL(page.url()).hash).toBe('#/')
  // The theme follows the OS setting until the toggle says otherwise; the choice survives a reload.
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await shell.theme.selectOption('light')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await shell.theme.selectOption('system')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  // An unknown route lands on the products list; the token stays out of the address bar.
  await page.goto('/#/no/such/screen')
  await expect(page).toHaveURL(/#\/$/)
})
