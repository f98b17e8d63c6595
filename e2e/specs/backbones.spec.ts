// Journey: the training form's backbone picker shows built-in and missing weights and imports a weights file.
import { expect, test } from '@playwright/test'
import { join } from 'node:path'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { TrainPage } from '../pages/train-page'
import { E2E_TOKEN } from '../playwright.config'
import { BUILT_IN_BACKBONE, e2eProduct } from '../support/e2e-data'


test('backbone picker: ResNet18 built in, WideResNet50-2 missing with a download, import a .safetensors file, now stored', async ({ page }) => {
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  await products.createProduct(`Weights ${Date.now()}`)
  await products.importFolder(e2eProduct())
  await expect(products.totals).toBeVisible()
  const train = new TrainPage(page)
  await train.open()
  // The backbone is one of the method's parameters, under Advanced.
  await train.openAdvanced()
  const select = page.getByTestId('backbone-select')
  await select.selectOption('resnet18')
  await expect(select.locator('option', { hasText: 'resnet18' })).toHaveText('resnet18 — ImageNet weights built in (to layer3)')
  await expect(page.getByTestId('backbone-download')).toHaveCount(0)
  await page.getByTestId('backbone-picker').screenshot({ path: 'e2e/artifacts/backbone-picker-built-in.png' })
  await select.selectOption('wide_resnet50_2')
  await expect(select.locator('option', { hasText: 'wide_resnet50_2' })).toHaveText('wide_resnet50_2 — no weights on this machine')
  await expect(page.getByTestId('backbone-download')).toBeVisible()
  await page.screenshot({ path: 'e2e/artifacts/backbone-picker-missing.png', fullPage: true })
  await select.selectOption('resnet18')
  await page.getByText('Import weights from a file').click()
  await page.getByTestId('backbone-import-path').fill(join(BUILT_IN_BACKBONE, 'resnet18_to_layer3.safetensors'))
  await page.getByTestId('backbone-import').click()
  await expect(select.locator('option', { hasText: 'resnet18' })).toHaveText('resnet18 — ImageNet weights stored (to layer3), used instead of the built-in ones')
  await page.getByTestId('backbone-import-path').fill('/no/such/weights.pth')
  await page.getByTestId('backbone-import').click()
  await expect(page.getByTestId('backbone-error')).toContainText('/no/such/weights.pth')
  await page.screenshot({ path: 'e2e/artifacts/backbone-picker.png', fullPage: true })
})
