// Journey: import a generated product (bottle's counts), fill the training form (Quick with fewer epochs at 128 px), see the estimate, watch
// progress and curves, cancel, resume, finish, rename, and compare two runs, all through the routes.
import { expect, test } from '@playwright/test'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { TrainPage } from '../pages/train-page'
import { RunPage } from '../pages/run-page'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'
import { BUILT_IN_BACKBONE, e2eProduct } from '../support/e2e-data'

const BACKBONE = BUILT_IN_BACKBONE
// The Quick preset with fewer epochs at 128 px so the journey takes minutes on a 2-core CPU; five parameters set in the form.
const QUICK_SHORT = { epochs: 4, imageSize: 128, resize: 128, checkpointEvery: 1 }

test('train from the app: form, estimate, progress and curves, cancel, resume, finish, rename, compare', async ({ page }) => {
  test.setTimeout(600_000)
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  const name = `Discs run ${Date.now()}`
  await products.createProduct(name)
  await products.importFolder(e2eProduct())
  await expect(products.totals).toHaveText('train good 209 · test good 20 · test defective 63')
  const train = new TrainPage(page)
  await train.open()
  await train.openAdvanced()
  await expect(page.getByTestId('group-afs')).toContainText('α')

  // The engine's own validation, inline, before anything starts.
  await train.set('epochs', 0)
  await expect(page.getByTestId('param-epochs-issue')).toHaveText("epochs must be a positive whole number, got '0'")
  await expect(train.start).toBeDisabled()
  await train.set('patchSize', 4)
  await expect(train.errors).toContainText('patchSize must be odd')
  await train.set('patchSize', 3)

  await train.setBackbonePath(BACKBONE)
  for (const [k, v] of Object.entries(QUICK_SHORT)) await train.set(k, v)
  await expect(train.errors).toHaveCount(0)
  // Calibration before the start: 41 of the 209 good images are held out, which cannot promise 1 %; the form says so and offers what can be.
  await expect(page.getByTestId('hold-out-count')).toHaveText('41 of 209')
  await expect(page.getByTestId('hold-out-warning')).toContainText('with 41 calibration images the lowest false-reject rate that can be promised is 2.4 %')
  await page.getByTestId('use-proposed-target').click()
  await expect(page.getByTestId('goal-false-reject')).toHaveValue('2.4')
  await expect(page.getByTestId('hold-out-warning')).toHaveCount(0)
  await page.getByTestId('goal-false-reject').fill('1')
  await expect(page.getByTestId('hold-out-warning')).toBeVisible()
  // The JSON view shows what the form holds and hands it back unchanged.
  await train.jsonToggle.click()
  expect(JSON.parse(await train.json.inputValue())).toEqual({ backbone: BACKBONE, ...QUICK_SHORT })
  await train.formToggle.click()
  for (const [k, v] of Object.entries(QUICK_SHORT)) await expect(train.field(k)).toHaveValue(String(v))
  await expect(train.name).toHaveValue('Quick (edited) - ResNet18 - 128 px - 4 epochs')
  await train.note.fill('Short run for the journey test')
  // Time before you start: measured on this machine at these settings.
  await expect(train.duration).toHaveText(/^about \d+(h\d\dm|m\d\ds|s)$/, { timeout: 240_000 })
  await expect(page.getByTestId('estimate-disk')).toHaveText(/\d+ (MB|GB)/)
  await expect(page.getByTestId('estimate-memory')).toHaveText(/\d+ (MB|GB)/)
  await checkScreen(page, 'train-form')
  await train.start.click()
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]+$/)

  const run = new RunPage(page)
  await expect(page.getByTestId('run-title')).toHaveText('Quick (edited) - ResNet18 - 128 px - 4 epochs')
  await expect(page.getByTestId('run-estimate-before')).toHaveText(/\d/)
  await expect(run.state).toHaveText('running', { timeout: 60_000 })
  // 209 good images: 41 held out for calibration, 168 trained on in steps of 8.
  await expect(run.progress).toContainText(/epoch 1\/4 · step \d+\/21 · (training ends|whole run finishes) in about/, { timeout: 120_000 })
  await run.waitForEpochs(1, 120_000)
  await run.cancel.click()
  await expect(run.state).toHaveText('cancelled')
  expect(Number(await run.chart.getAttribute('data-points'))).toBeLessThan(4)
  await run.resume.click()
  await expect(run.progress).toContainText(/epoch [2-4]\/4 · step \d+\/21 · (training ends|whole run finishes) in about/, { timeout: 120_000 })
  await expect(page.getByTestId('run-stage')).toContainText('onnxruntime on')
  await expect(page.getByTestId('run-refined')).toContainText('whole run finishes in about')
  await expect(page.getByTestId('run-eta')).toHaveCount(0)
  await page.getByTestId('per-step').check()
  await page.screenshot({ path: 'e2e/artifacts/training-live.png', fullPage: true })
  await checkScreen(page, 'run-live')
  // The rest of this small run may finish before 'running' is ever painted, so wait for the end state.
  await expect(run.state).toHaveText('succeeded', { timeout: 300_000 })
  await run.waitForEpochs(4)
  await expect(page.getByTestId('run-metrics')).toContainText(/I-AUROC \d+\.\d · P-AUROC \d+\.\d · PRO \d+\.\d/)
  await expect(page.getByTestId('run-took')).toHaveText(/\d/)
  // Closing and reopening the window: the same URL brings back the run, its metrics and its curves.
  await page.reload()
  await expect(run.state).toHaveText('succeeded')
  await run.waitForEpochs(4, 20_000)
  await expect(page.getByTestId('run-metrics')).toBeVisible()
  // A person's name and note for the run.
  await page.getByTestId('run-rename').fill('Discs 128 px baseline')
  await page.getByTestId('run-note-edit').fill('4 epochs; compare with alpha 0.3')
  await page.getByTestId('run-describe').click()
  await expect(page.getByTestId('run-title')).toHaveText('Discs 128 px baseline')
  await checkScreen(page, 'run-finished')

  // A second, shorter run with another alpha, then both side by side on the overview.
  await train.open()
  await train.startWith({ ...QUICK_SHORT, epochs: 2, alpha: 0.3 }, BACKBONE)
  await expect(run.state).toHaveText('succeeded', { timeout: 240_000 })
  await run.waitForEpochs(2)
  await page.getByTestId('nav-overview').click()
  await expect(page.getByTestId('run')).toHaveCount(2)
  await expect(page.getByTestId('run-link')).toHaveText(['Quick (edited) - ResNet18 - 128 px - 2 epochs', 'Discs 128 px baseline'])
  const boxes = page.getByTestId('compare-run')
  await boxes.nth(0).check()
  await boxes.nth(1).check()
  await expect(page.getByTestId('compare-chart')).toBeVisible()
  await page.getByTestId('compare').scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'e2e/artifacts/training-compare.png', fullPage: true })
  await checkScreen(page, 'product-overview-runs')
  // Back returns to the second run's screen, forward to the overview.
  await page.goBack()
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]+$/)
  await page.goForward()
  await expect(page.getByTestId('compare-run')).toHaveCount(2)
})
