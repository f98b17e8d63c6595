// Journey: on a product of wide photos the engineer draws the region to inspect and a label to ignore, trains, and the review shows the ignored area hatched.
import { expect, test } from '@playwright/test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeWideProduct } from '../../src/test-support/wide-product'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { TrainPage } from '../pages/train-page'
import { RunPage } from '../pages/run-page'
import { ReviewPage } from '../pages/review-page'
import { RegionEditor } from '../pages/region-editor'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'
import { BUILT_IN_BACKBONE } from '../support/e2e-data'

test('draw the region to inspect and an area to ignore, train, and review with the ignored area shown', async ({ page }) => {
  test.setTimeout(420_000)
  const product = join(mkdtempSync(join(tmpdir(), 'pbas-e2e-region-')), 'strip')
  await writeWideProduct(product)
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  await products.createProduct(`Labelled strip ${Date.now()}`)
  await products.importFolder(product)
  const train = new TrainPage(page)
  await train.open()
  const region = new RegionEditor(page)
  await expect(region.summary).toHaveText('the whole photo')
  await region.open()
  await expect(region.canvas).toHaveAttribute('data-photo-width', '192')
  // The part without its two ends' margins, as a polygon; then the label on its left end, as a rectangle.
  await region.drawPolygon('inspect', [[0.01, 0.03], [0.99, 0.03], [0.99, 0.97], [0.01, 0.97]])
  await expect(page.getByTestId('inspect-shape')).toHaveCount(1)
  await region.drawRect('ignore', [0.02, 0.05], [0.2, 0.95])
  await expect(page.getByTestId('ignored-shape')).toHaveCount(1)
  await expect(region.summary).toContainText('1 area ignored')
  const share = Number((await region.share.textContent())!.replace(' %', ''))
  expect(share).toBeGreaterThan(70)
  expect(share).toBeLessThan(85)
  await checkScreen(page, 'train-region')
  // Stored with the product: a reload shows it again.
  await page.reload()
  await expect(region.summary).toContainText(`${share} % of each photo · 1 area ignored`)

  await train.startWith({ epochs: 2, imageSize: 96, resize: 96, checkpointEvery: 2, seed: 0 }, BUILT_IN_BACKBONE)
  const run = new RunPage(page)
  await expect(run.state).toHaveText('succeeded', { timeout: 300_000 })
  await page.getByTestId('open-review').click()
  const review = new ReviewPage(page)
  await expect(review.items.first()).toBeVisible()
  await review.items.first().click()
  await review.waitForDrawn((await review.items.first().getAttribute('data-index'))!)
  await expect(review.viewer.getByTestId('ignored-shape')).toHaveCount(1)
  await expect(review.viewer.getByTestId('ignored-outside')).toHaveCount(1)
  await checkScreen(page, 'review-ignored')
  await page.getByTestId('ignored-toggle').uncheck()
  await expect(review.viewer.getByTestId('ignored-areas')).toHaveCount(0)
  // The report's pictures hatch the same areas, and its caption says so.
  await review.tab('report').click()
  await page.getByTestId('export-report').click()
  await expect(page.getByTestId('report-files')).toBeVisible({ timeout: 120_000 })
  const html = readFileSync((await page.getByTestId('report-html').textContent())!, 'utf8')
  expect(html).toContain('hatched: areas the model does not inspect')
  expect(html).toMatch(new RegExp(`Region to inspect</th><td>${share} % of each 192 x 64 photo \\(1 region shape\\(s\\), 1 area\\(s\\) ignored; \\d+ of 144 patches scored\\)`))
  const picture = /<img src="data:image\/png;base64,([^"]+)"/.exec(html)![1]
  writeFileSync('e2e/artifacts/report-ignored-picture.png', Buffer.from(picture, 'base64'))
})
