// Journey: an empty workspace opens on the first-run guide (create -> import -> Quick run with its estimate -> review).
import { expect, test } from '@playwright/test'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'

test('an empty workspace shows the first-run guide, not empty panels', async ({ page }) => {
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  await expect(products.guide).toBeVisible()
  await expect(products.guide.getByRole('listitem')).toHaveText([/Create a product/, /Import a folder/, /Quick run/, /Review/])
  await checkScreen(page, 'products-first-run')
})
