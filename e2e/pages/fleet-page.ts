// Page object for the fleet screen: the stations writing to the workspace and the push picker of each.
import type { Locator, Page } from '@playwright/test'

export class FleetPage {
  readonly nav: Locator
  readonly table: Locator
  readonly empty: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.nav = page.getByTestId('nav-fleet')
    this.table = page.getByTestId('fleet-table')
    this.empty = page.getByTestId('fleet-empty')
    this.error = page.getByTestId('fleet-error')
  }

  /** One station's row, by its name. */
  station(name: string): Locator {
    return this.page.getByTestId('fleet-station').filter({ hasText: name })
  }

  /** Pushes the run labelled `runLabel` (product · run name) to the station. */
  async push(name: string, runLabel: string): Promise<void> {
    const row = this.station(name)
    await row.getByTestId('push-run').selectOption({ label: runLabel })
    await row.getByTestId('push-button').click()
  }
}
