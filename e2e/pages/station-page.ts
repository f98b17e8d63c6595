// Page object for the inspection station screen: controls, counters, the live strip and the review queue.
import { expect, type Locator, type Page } from '@playwright/test'

export class StationPage {
  readonly view: Locator
  readonly folder: Locator
  readonly sort: Locator
  readonly start: Locator
  readonly pause: Locator
  readonly resume: Locator
  readonly stop: Locator
  readonly state: Locator
  readonly strip: Locator
  readonly stripParts: Locator
  readonly queue: Locator
  readonly queueItems: Locator

  constructor(readonly page: Page) {
    this.view = page.getByTestId('station-view')
    this.folder = page.getByTestId('station-folder')
    this.sort = page.getByTestId('station-sort')
    this.start = page.getByTestId('station-start')
    this.pause = page.getByTestId('station-pause')
    this.resume = page.getByTestId('station-resume')
    this.stop = page.getByTestId('station-stop')
    this.state = page.getByTestId('station-state')
    this.strip = page.getByTestId('part-strip')
    this.stripParts = page.getByTestId('strip-part')
    this.queue = page.getByTestId('review-queue')
    this.queueItems = this.queue.getByTestId('grid-item')
  }

  /** Starts watching `dir`, sorting or not, and waits until the station runs. */
  async startOn(dir: string, sort: boolean): Promise<void> {
    await this.folder.fill(dir)
    if (sort) await this.sort.check()
    await this.start.click()
    await expect(this.state).toHaveText('running', { timeout: 30_000 })
  }

  /** Fills "Publish to the line": the station's name and the MQTT broker (before starting). */
  async publishTo(station: string, broker: string): Promise<void> {
    await this.page.getByTestId('station-line').locator('summary').click()
    await this.page.getByTestId('line-station').fill(station)
    await this.page.getByTestId('line-mqtt').fill(broker)
  }

  count(name: 'pass' | 'review' | 'fail' | 'unreadable' | 'waiting'): Locator {
    return this.page.getByTestId(`count-${name}`)
  }

  /** pass + review + fail as shown. */
  async scored(): Promise<number> {
    const n = await Promise.all((['pass', 'review', 'fail'] as const).map(async (k) => Number(await this.count(k).textContent())))
    return n.reduce((a, b) => a + b, 0)
  }
}
