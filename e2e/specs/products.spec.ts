// Journey: create a product and import a generated product (bottle's counts) through the routes; the check summary shows its counts and defect types.
import { expect, test } from '@playwright/test'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'
import { e2eBigProduct, e2eProduct } from '../support/e2e-data'


test('create a product, import a generated product, see 209/20/63 and the two defect types', async ({ page }) => {
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  const name = `Discs ${Date.now()}`
  await products.createProduct(name)
  // A new product opens on its Import screen, with its own URL.
  await expect(page).toHaveURL(/#\/products\/[^/]+\/import$/)
  await expect(products.selected).toHaveText(name)
  await expect(page.getByTestId('browse-folder')).toHaveCount(0) // no native dialog in browser mode
  await products.importDir.fill(e2eProduct())
  await products.importButton.click()
  await expect(page.getByTestId('import-check').getByTestId('dataset-totals')).toHaveText('train good 209 · test good 20 · test defective 63', { timeout: 30_000 })
  await expect(page.getByTestId('dataset-thumbnails').locator('img')).toHaveCount(16)
  await checkScreen(page, 'import-checked')
  await page.getByTestId('import-save').click()
  // Saved: the product's overview lists the data set, with the next step (a Quick run) offered.
  await expect(page).toHaveURL(/#\/products\/[^/]+$/)
  await expect(products.totals).toHaveText('train good 209 · test good 20 · test defective 63')
  await expect(products.defectTypes).toHaveText('dent, scratch')
  // Thumbnails: up to 4 per split and type (train/good, test/good and two defect types).
  await expect(page.getByTestId('dataset-thumbnails').locator('img')).toHaveCount(16)
  await expect(page.getByTestId('next-train')).toBeVisible()
  await checkScreen(page, 'product-overview-new')
  // Back goes to the Import screen, forward returns; the products list is one click away.
  await page.goBack()
  await expect(page).toHaveURL(/\/import$/)
  await page.goForward()
  await expect(page).toHaveURL(/#\/products\/[^/]+$/)
  await products.createProduct(name)
  await expect(products.error).toContainText('already exists')
  await expect(page.getByTestId('product-item').filter({ hasText: name })).toHaveCount(1)
  await checkScreen(page, 'products-list')
})

test('a folder check can be cancelled before anything is saved', async ({ page }) => {
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  await products.createProduct(`Pitting ${Date.now()}`)
  await products.importDir.fill(e2eBigProduct())
  await products.importButton.click()
  await expect(page.getByTestId('import-progress')).toContainText('checking')
  await page.getByTestId('import-cancel').click()
  await expect(page.getByTestId('import-cancelled')).toHaveText('Check cancelled; nothing was saved.')
  await expect(page.getByTestId('dataset-summary')).toHaveCount(0)
  await page.getByTestId('nav-overview').click()
  await expect(page.getByTestId('dataset-summary')).toHaveCount(0)
  await expect(page.getByTestId('next-import')).toBeVisible()
})
