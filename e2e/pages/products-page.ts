// Page object for the Products screen: create products and import data sets.
import type { Locator, Page } from '@playwright/test'

export class ProductsPage {
  readonly newName: Locator
  readonly create: Locator
  readonly selected: Locator
  readonly importDir: Locator
  readonly importButton: Locator
  readonly totals: Locator
  readonly defectTypes: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.newName = page.getByTestId('new-product-name')
    this.create = page.getByTestId('create-product')
    this.selected = page.getByTestId('selected-product')
    this.importDir = page.getByTestId('import-dir')
    this.importButton = page.getByTestId('import-button')
    this.totals = page.getByTestId('dataset-totals')
    this.defectTypes = page.getByTestId('defect-types')
    this.error = page.getByTestId('products-error')
  }

  async createProduct(name: string): Promise<void> {
    await this.newName.fill(name)
    await this.create.click()
  }

  /** Checks a folder and saves it to the selected product once the summary is shown. */
  async importFolder(dir: string): Promise<void> {
    await this.importDir.fill(dir)
    await this.importButton.click()
    await this.page.getByTestId('import-save').click()
  }
}
