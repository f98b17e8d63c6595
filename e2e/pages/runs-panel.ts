// Page object for the training panel of a product.
import { expect, type Locator, type Page } from '@playwright/test'

export class RunsPanel {
  readonly advanced: Locator
  readonly start: Locator
  readonly run: Locator
  readonly state: Locator
  readonly progress: Locator
  readonly chart: Locator
  readonly cancel: Locator
  readonly resume: Locator

  constructor(readonly page: Page) {
    this.advanced = page.getByTestId('run-advanced')
    this.start = page.getByTestId('start-run')
    this.run = page.getByTestId('run').first()
    this.state = this.run.getByTestId('run-state')
    this.progress = this.run.getByTestId('run-progress')
    this.chart = this.run.getByTestId('loss-chart')
    this.cancel = this.run.getByTestId('cancel-run')
    this.resume = this.run.getByTestId('resume-run')
  }

  async startWith(overrides: Record<string, unknown>): Promise<void> {
    if (!(await this.advanced.isVisible())) await this.page.getByText('Advanced (every PBAS parameter').click()
    await this.advanced.fill(JSON.stringify(overrides))
    await this.start.click()
  }

  /** Waits until the curve shows at least `n` epochs. */
  async waitForEpochs(n: number, timeout = 60_000): Promise<void> {
    await expect.poll(async () => Number(await this.chart.getAttribute('data-points')), { timeout }).toBeGreaterThanOrEqual(n)
  }
}
