// Playwright configuration: Debian's Chromium (never `playwright install`), built renderer on localhost.
import { defineConfig } from '@playwright/test'

const PORT = 5178

export default defineConfig({
  testDir: './specs',
  outputDir: './artifacts/test-output',
  timeout: 60_000,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.PBAS_CHROMIUM ?? '/usr/bin/chromium',
      // This machine has no network beyond localhost; these flags stop Chromium phoning home at start.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `node e2e/support/static-server.mjs out/renderer ${PORT}`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
})
