// Page object for the application shell: brand, navigation, engine status, theme.
import type { Page, Locator } from '@playwright/test'

/** The top-level window: title, navigation and engine status line. */
export class AppShell {
  readonly heading: Locator
  readonly engineStatus: Locator
  readonly engineError: Locator
  readonly productsNav: Locator
  readonly theme: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'PBAS Inspect' })
    this.engineStatus = page.getByTestId('engine-status')
    this.engineError = page.getByTestId('engine-error')
    this.productsNav = page.getByTestId('nav-products')
    this.theme = page.getByTestId('theme-select')
  }

  /** Opens the app (a route, default the products list); with a token it connects through the bridge, as `pbas serve` prints. */
  async open(token?: string, route = '/'): Promise<void> {
    await this.page.goto(token ? `/#${route}?token=${token}` : `/#${route}`)
  }
}
