// Page object for the application shell: every selector the specs use lives here.
import type { Page, Locator } from '@playwright/test'

/** The top-level window: title and engine status line. */
export class AppShell {
  readonly heading: Locator
  readonly engineStatus: Locator
  readonly engineError: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'PBAS Inspect' })
    this.engineStatus = page.getByTestId('engine-status')
    this.engineError = page.getByTestId('engine-error')
  }

  /** Opens the app; with a token it is connected to the engine through the bridge, as `pbas serve` prints. */
  async open(token?: string): Promise<void> {
    await this.page.goto(token ? `/#token=${token}` : '/')
  }
}
