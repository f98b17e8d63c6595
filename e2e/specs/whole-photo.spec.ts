// Journey: a product of wide photos; the train form says when a centre crop leaves part of each photo unseen, one click keeps the whole photo, and a defect too small for one input turns to tiles.
import { expect, test } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeWideProduct } from '../../src/test-support/wide-product'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { TrainPage } from '../pages/train-page'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'

test('wide photos: the default keeps the whole photo; a centre crop is named with its unseen share and undone in one click; a tiny defect asks for tiles', async ({ page }) => {
  const product = join(mkdtempSync(join(tmpdir(), 'pbas-e2e-wide-')), 'strip')
  await writeWideProduct(product)
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  await products.createProduct(`Rail strip ${Date.now()}`)
  await products.importFolder(product)
  const train = new TrainPage(page)
  await train.open()
  // The default sees every pixel: no warning, and the smallest defect follows the photo's longer side.
  await expect(page.getByTestId('goal-defect-help')).toContainText('192 px longer side')
  await expect(page.getByTestId('unseen-warning')).toHaveCount(0)
  await train.set('fit', 'crop')
  await expect(page.getByTestId('unseen-warning')).toContainText('leaves 67 % of each 192 x 64 photo unseen (its left and right ends)')
  await expect(page.getByTestId('goal-defect-help')).toContainText('64 px shorter side')
  await checkScreen(page, 'train-unseen-warning')
  await page.getByTestId('keep-whole-photo').click()
  await expect(train.field('fit')).not.toHaveValue('crop')
  await expect(page.getByTestId('unseen-warning')).toHaveCount(0)
  // No single input up to 512 px resolves a 2 px defect on a 192 px side: the form turns to tiles at a finer side.
  await expect(train.field('tileSide')).toHaveCount(0)
  const defect = page.getByTestId('goal-defect')
  await defect.fill('2')
  // Enter applies the defect size; it does not start training (the form's settings just changed).
  await defect.press('Enter')
  await expect(train.field('fit')).toHaveValue('tile')
  await expect(page).toHaveURL(/\/train$/)
  await expect(train.field('tileSide')).toHaveValue('64')
  await expect(page.getByTestId('goal-defect-help')).toContainText('in 4 overlapping tiles of 64 px, each at 256 px, so it finds defects from about 2 px across')
  await checkScreen(page, 'train-tiles')
})
