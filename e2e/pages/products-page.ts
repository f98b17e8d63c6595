// Page object for the Products list and a product's Import screen.
import { expect, type Locator, type Page } from '@playwright/test'

export class ProductsPage {
  readonly newName: Locator
  readonly create: Locator
  readonly selected: Locator
  readonly importDir: Locator
  readonly importButton: Locator
  readonly totals: Locator
  readonly defectTypes: Locator
  readonly error: Locator
  readonly guide: Locator

  constructor(readonly page: Page) {
    this.newName = page.getByTestId('new-product-name')
    this.create = page.getByTestId('create-product')
    this.selected = page.getByTestId('selected-product')
    this.importDir = page.getByTestId('import-dir')
    this.importButton = page.getByTestId('import-button')
    this.totals = page.getByTestId('dataset-totals')
    this.defectTypes = page.getByTestId('defect-types')
    this.error = page.getByTestId('products-error')
    this.guide = page.getByTestId('first-run-guide')
  }

  /** From the Products list (reached by the main navigation); a new product opens on its Import screen. */
  async createProduct(name: string): Promise<void> {
    await this.page.getByTestId('nav-products').click()
    await this.newName.fill(name)
    await this.create.click()
  }

  /** On the product's Import screen: checks a folder and saves it once the summary is shown (then the overview opens). */
  async importFolder(dir: string): Promise<void> {
    await this.page.getByTestId('nav-import').click()
    await this.importDir.fill(dir)
    await this.importButton.click()
    // A large folder takes a while to check; saving waits for it.
    await expect(this.page.getByTestId('import-save')).toBeEnabled({ timeout: 60_000 })
    await this.page.getByTestId('import-save').click()
    await expect(this.page).toHaveURL(/#\/products\/[^/]+$/)
  }
}
