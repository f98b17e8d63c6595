// Journey: start a small run, watch progress and curves, cancel, resume from the checkpoint, finish.
import { expect, test } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { RunsPanel } from '../pages/runs-panel'
import { E2E_TOKEN } from '../playwright.config'
import { writeSyntheticProduct } from '../../src/main/engine/demo/synthetic-product'

const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(__dirname, '..', '..', '..', 'shared')
const product = join(mkdtempSync(join(tmpdir(), 'pbas-e2e-data-')), 'discs')

test.beforeAll(async () => {
  await writeSyntheticProduct(product, { size: 64, trainGood: 8, testGood: 2, testScratch: 2, testDent: 2, seed: 4 })
})

test('train from the app: progress and curves update, cancel, resume, finish', async ({ page }) => {
  test.setTimeout(120_000)
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  const name = `Discs ${Date.now()}`
  await products.createProduct(name)
  await products.importFolder(product)
  await expect(products.totals).toHaveText('train good 8 · test good 2 · test defective 4')
  const runs = new RunsPanel(page)
  // Sized to take ~15-20 s here: long enough that the cancel below always lands mid-run, short enough for CI.
  await runs.startWith({
    backbone: join(SHARED, 'backbones', 'resnet18_imagenet_to_layer3'), epochs: 400, imageSize: 128, resize: 128,
    pretrainDim: 256, targetDim: 256, discHidden: 64, batchSize: 4, checkpointEvery: 1,
  })
  await expect(runs.state).toHaveText('running')
  await runs.waitForEpochs(3)
  await runs.cancel.click()
  await expect(runs.state).toHaveText('cancelled')
  const cancelledAt = Number(await runs.chart.getAttribute('data-points'))
  expect(cancelledAt).toBeLessThan(400)
  await runs.resume.click()
  await expect(runs.progress).toContainText(/epoch \d+\/400 · step \d\/2 · ETA/)
  await expect(runs.run.getByTestId('run-stage')).toContainText('onnxruntime on')
  await runs.run.getByTestId('per-step').check()
  await page.screenshot({ path: 'e2e/artifacts/training-live.png', fullPage: true })
  // The rest of this small run may finish before 'running' is ever painted, so wait for the end state.
  await expect(runs.state).toHaveText('succeeded', { timeout: 90_000 })
  await runs.waitForEpochs(400)
  await expect(runs.run.getByTestId('run-metrics')).toContainText(/I-AUROC \d+\.\d · P-AUROC \d+\.\d · PRO \d+\.\d/)
  await page.screenshot({ path: 'e2e/artifacts/training-done.png', fullPage: true })
  // Closing and reopening the window: the run, its metrics and its curves come back from the workspace.
  await page.reload()
  await page.getByTestId('product-item').filter({ hasText: name }).click()
  await expect(runs.state).toHaveText('succeeded')
  await runs.waitForEpochs(400, 10_000)
  await expect(runs.run.getByTestId('run-metrics')).toBeVisible()
  // A second, shorter run, then both side by side.
  await runs.startWith({
    backbone: join(SHARED, 'backbones', 'resnet18_imagenet_to_layer3'), epochs: 20, imageSize: 128, resize: 128,
    pretrainDim: 256, targetDim: 256, discHidden: 64, batchSize: 4, alpha: 0.3,
  })
  await expect(page.getByTestId('run')).toHaveCount(2)
  await expect(runs.state).toHaveText('succeeded', { timeout: 60_000 })
  await runs.waitForEpochs(20)
  const boxes = page.getByTestId('compare-run')
  await boxes.nth(0).check()
  await boxes.nth(1).check()
  await expect(page.getByTestId('compare-chart')).toBeVisible()
  await page.getByTestId('compare').scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'e2e/artifacts/training-compare.png', fullPage: true })
})
