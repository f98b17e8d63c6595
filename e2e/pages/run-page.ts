// Page object for one run's screen (live progress, curves, cancel / resume) and the product overview's run list.
import { expect, type Locator, type Page } from '@playwright/test'

export class RunPage {
  readonly run: Locator
  readonly state: Locator
  readonly progress: Locator
  readonly chart: Locator
  readonly cancel: Locator
  readonly resume: Locator

  constructor(readonly page: Page) {
    this.run = page.getByTestId('run').first()
    this.state = this.run.getByTestId('run-state')
    this.progress = this.run.getByTestId('run-progress')
    this.chart = page.getByTestId('loss-chart')
    this.cancel = this.run.getByTestId('cancel-run')
    this.resume = this.run.getByTestId('resume-run')
  }

  /** Waits until the curve shows at least `n` epochs. */
  async waitForEpochs(n: number, timeout = 60_000): Promise<void> {
    await expect.poll(async () => Number(await this.chart.getAttribute('data-points')), { timeout }).toBeGreaterThanOrEqual(n)
  }
}
