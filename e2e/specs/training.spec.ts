// Journey: import MVTec bottle, start a Quick run (fewer epochs, 128 px), watch progress and curves, cancel, resume, finish.
import { expect, test } from '@playwright/test'
import { join, resolve } from 'node:path'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { RunsPanel } from '../pages/runs-panel'
import { E2E_TOKEN } from '../playwright.config'

const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(__dirname, '..', '..', '..', 'shared')
const BOTTLE = join(SHARED, 'datasets', 'mvtec_bottle')
// The Quick preset with fewer epochs at 128 px so the journey takes about a minute on a 2-core CPU.
const QUICK_SHORT = { backbone: join(SHARED, 'backbones', 'resnet18_imagenet_to_layer3'), epochs: 4, imageSize: 128, resize: 128, checkpointEvery: 1 }

test('train from the app: progress and curves update, cancel, resume, finish', async ({ page }) => {
  test.setTimeout(300_000)
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  const name = `Bottle run ${Date.now()}`
  await products.createProduct(name)
  await products.importFolder(BOTTLE)
  await expect(products.totals).toHaveText('train good 209 · test good 20 · test defective 63')
  const runs = new RunsPanel(page)
  await runs.startWith(QUICK_SHORT)
  await expect(runs.state).toHaveText('running')
  // 209 good images: 41 held out for calibration, 168 trained on in steps of 8.
  await expect(runs.progress).toContainText(/epoch 1\/4 · step \d+\/21 · ETA/, { timeout: 60_000 })
  await runs.waitForEpochs(1)
  await runs.cancel.click()
  await expect(runs.state).toHaveText('cancelled')
  expect(Number(await runs.chart.getAttribute('data-points'))).toBeLessThan(4)
  await runs.resume.click()
  await expect(runs.progress).toContainText(/epoch [2-4]\/4 · step \d+\/21 · ETA/, { timeout: 60_000 })
  await expect(runs.run.getByTestId('run-stage')).toContainText('onnxruntime on')
  await runs.run.getByTestId('per-step').check()
  await page.screenshot({ path: 'e2e/artifacts/training-live.png', fullPage: true })
  // The rest of this small run may finish before 'running' is ever painted, so wait for the end state.
  await expect(runs.state).toHaveText('succeeded', { timeout: 180_000 })
  await runs.waitForEpochs(4)
  await expect(runs.run.getByTestId('run-metrics')).toContainText(/I-AUROC \d+\.\d · P-AUROC \d+\.\d · PRO \d+\.\d/)
  await page.screenshot({ path: 'e2e/artifacts/training-done.png', fullPage: true })
  // Closing and reopening the window: the run, its metrics and its curves come back from the workspace.
  await page.reload()
  await page.getByTestId('product-item').filter({ hasText: name }).click()
  await expect(runs.state).toHaveText('succeeded')
  await runs.waitForEpochs(4, 10_000)
  await expect(runs.run.getByTestId('run-metrics')).toBeVisible()
  // A second, shorter run, then both side by side.
  await runs.startWith({ ...QUICK_SHORT, epochs: 2, alpha: 0.3 })
  await expect(page.getByTestId('run')).toHaveCount(2)
  await expect(runs.state).toHaveText('succeeded', { timeout: 120_000 })
  await runs.waitForEpochs(2)
  const boxes = page.getByTestId('compare-run')
  await boxes.nth(0).check()
  await boxes.nth(1).check()
  await expect(page.getByTestId('compare-chart')).toBeVisible()
  await page.getByTestId('compare').scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'e2e/artifacts/training-compare.png', fullPage: true })
})
