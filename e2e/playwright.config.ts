// Playwright configuration: the system's Chromium (never `playwright install`), the app in browser mode (`pbas serve`).
import { defineConfig } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findChromium, systemToolEnv } from '../scripts/test-tools'

/** PBAS_E2E_PORT lets two checkouts run their suites side by side. */
const PORT = Number(process.env.PBAS_E2E_PORT) || 5178
/** Fixed only for tests; a real `pbas serve` makes a random token per launch. */
export const E2E_TOKEN = 'e2e-test-token'
/** Every run gets its own empty workspace, never the user's. */
const WORKSPACE = process.env.PBAS_E2E_WORKSPACE ?? (process.env.PBAS_E2E_WORKSPACE = mkdtempSync(join(tmpdir(), 'pbas-e2e-')))
/**
 * The Chromium scripts/ensure-test-tools.ts found or installed (PBAS_CHROMIUM, chromium or chromium-browser on
 * PATH, or Playwright's cache); the app under test prints report PDFs with the same one.
 */
const found = findChromium(systemToolEnv())
if (!found) throw new Error('no usable Chromium: run `npx tsx scripts/ensure-test-tools.ts` (npm test does) to install one or to see what to install')
const CHROMIUM = found.path

export default defineConfig({
  // Writes the generated products the journeys import (e2e/support/e2e-data.ts).
  globalSetup: './support/e2e-data.ts',
  projects: [
    // An empty workspace opens on the first-run guide: checked before any other journey adds a product.
    { name: 'first-run', testDir: './specs', testMatch: 'first-run.spec.ts' },
    { name: 'browser', testDir: './specs', testIgnore: 'first-run.spec.ts', dependencies: ['first-run'] },
    { name: 'electron', testDir: './electron' },
  ],
  outputDir: './artifacts/test-output',
  // Generous: the machine is shared, and each screen is checked by axe and photographed three times.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      // This machine has no network beyond localhost; these flags stop Chromium phoning home at start.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `node bin/pbas.js serve --port ${PORT} --workspace ${WORKSPACE}`,
    cwd: '..',
    env: { PBAS_SERVE_TOKEN: E2E_TOKEN, PBAS_BACKEND: 'wasm', PBAS_DATA_DIR: join(WORKSPACE, 'data'), PBAS_CHROMIUM: CHROMIUM, PBAS_COMMISSION_K: '3' },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
})
