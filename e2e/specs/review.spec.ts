// Journey: a finished run on a generated product (bottle's counts) -> review worst first -> overlay options -> shared image link -> threshold drag
// -> keyboard verdicts -> folder evaluation -> metrics -> plots -> HTML/PDF/CSV report, every tab a URL.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { TrainPage } from '../pages/train-page'
import { RunPage } from '../pages/run-page'
import { ReviewPage } from '../pages/review-page'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'
import { BUILT_IN_BACKBONE, e2eProduct } from '../support/e2e-data'

const BACKBONE = BUILT_IN_BACKBONE

function pdfText(pdf: string): { pages: number; text: string } {
  try {
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })
    return { pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), text: execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ') }
  } catch (err) {
    throw new Error(`reading the PDF needs poppler's pdfinfo and pdftotext (apt-get install poppler-utils): ${(err as Error).message}`)
  }
}

test('review a finished run, set a threshold and verdicts, plot features, export the report', async ({ page, context }) => {
  test.setTimeout(720_000)
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  await products.createProduct(`Discs review ${Date.now()}`)
  await products.importFolder(e2eProduct())
  await expect(products.totals).toHaveText('train good 209 · test good 20 · test defective 63')
  // A short Quick run (2 epochs at 128 px) is enough to review: the journey is about the screens, not the accuracy.
  const train = new TrainPage(page)
  await train.open()
  await train.startWith({ epochs: 2, imageSize: 128, resize: 128, checkpointEvery: 2, seed: 0 }, BACKBONE)
  const run = new RunPage(page)
  await expect(run.state).toHaveText('succeeded', { timeout: 300_000 })
  await page.getByTestId('open-review').click()
  await expect(page).toHaveURL(/\/review\?evaluation=/)

  // Worst first: the grid's scores never increase.
  const review = new ReviewPage(page)
  await expect(review.items).toHaveCount(83)
  const scores = await review.gridScores()
  expect(scores).toEqual([...scores].sort((a, b) => b - a))
  await review.waitForDrawn(await review.items.first().getAttribute('data-index') as string)
  await checkScreen(page, 'review-grid')

  // Open a defective image: the heat map changes the picture, the ground-truth outline is available.
  await page.getByTestId('filter-type').selectOption('scratch')
  const tile = review.items.first()
  await tile.click()
  const index = await tile.getAttribute('data-index') as string
  await review.waitForDrawn(index)
  await expect(page.getByTestId('mask-toggle')).toBeEnabled()
  await page.getByTestId('overlay-opacity').fill('0')
  const plain = await review.overlaySum()
  await page.getByTestId('overlay-opacity').fill('0.8')
  await expect.poll(() => review.overlaySum()).not.toBe(plain)
  await expect(page.getByTestId('heat-legend')).toBeVisible()
  await expect(page.getByTestId('nearest-good')).toBeVisible()
  // Overlay options: heat only above the review band leaves good regions untinted; the flagged region gets an outline.
  const full = await review.overlaySum()
  await page.getByTestId('overlay-above-review').check()
  await expect.poll(() => review.overlaySum()).not.toBe(full)
  const banded = await review.overlaySum()
  await page.getByTestId('overlay-flagged-outline').check()
  await expect.poll(() => review.overlaySum()).not.toBe(banded)
  // The grid's thumbnails follow the same choice (drawn by the engine from the stored image and map).
  const thumb = review.items.first().locator('img')
  const before = await thumb.getAttribute('src')
  await page.getByTestId('overlay-above-review').uncheck()
  await expect.poll(() => thumb.getAttribute('src'), { timeout: 20_000 }).not.toBe(before)
  await page.getByTestId('overlay-above-review').check()
  await page.screenshot({ path: 'e2e/artifacts/review-image.png', fullPage: true })
  await checkScreen(page, 'review-image')

  // One image's review is a link: another tab (the token aside) opens the same evaluation and image.
  await expect(page).toHaveURL(new RegExp(`image=${index}`))
  const link = page.url()
  const other = await context.newPage()
  await other.goto(`${link}&token=${E2E_TOKEN}`)
  await expect(other.getByTestId('image-viewer')).toHaveAttribute('data-index', index)
  expect(other.url()).not.toContain(E2E_TOKEN)
  await other.close()
  await page.getByTestId('filter-type').selectOption('all')

  // Keyboard verdicts: d on the worst image, j to the next, g, j, u.
  await review.items.first().click()
  await page.locator('body').press('d')
  await page.locator('body').press('j')
  await page.locator('body').press('g')
  await page.locator('body').press('j')
  await page.locator('body').press('u')
  await page.locator('body').press('k')
  await expect(page.getByTestId('viewer-verdict')).toContainText(/^good - \S+, \d{4}-\d\d-\d\d/)
  await expect(page.getByTestId('grid-verdict')).toHaveText(['defect', 'good', 'unsure'])
  await expect(page.getByTestId('add-good-note')).toBeVisible() // test-split images never join training
  await page.screenshot({ path: 'e2e/artifacts/review-grid.png', fullPage: true })

  // A folder of new, unlabelled images (copies: the test split's own files never join training): a job with
  // progress; confirmed-good ones can grow the training set.
  const fresh = join(mkdtempSync(join(tmpdir(), 'pbas-e2e-new-parts-')), 'new-parts')
  cpSync(join(e2eProduct(), 'test', 'good'), fresh, { recursive: true })
  await page.getByTestId('evaluate-folder').fill(fresh)
  await page.getByTestId('evaluate-start').click()
  await expect(page.getByTestId('evaluate-progress')).toBeVisible()
  await expect(page.getByTestId('grid-count')).toHaveText('20 of 20 images, worst first', { timeout: 180_000 })
  await review.items.last().click()
  await page.locator('body').press('g')
  await page.getByTestId('add-good').click()
  await expect(page.getByTestId('added-good')).toContainText('1 added training image')
  await page.screenshot({ path: 'e2e/artifacts/review-folder.png', fullPage: true })
  // The folder's evaluation was a new history entry: back returns to the test split.
  await page.goBack()
  await expect(review.items).toHaveCount(83)
  const select = page.getByTestId('evaluation-select')
  await expect(select.locator('option:checked')).toContainText('test split')

  // Threshold: dragging on the histogram moves the threshold and the confusion matrix follows.
  await review.tab('threshold').click()
  await expect(page).toHaveURL(/\/review\/threshold\?/)
  await expect(review.confusion).toBeVisible()
  await review.dragOnHistogram(0.5, 0.15)
  const low = await review.confusionCounts()
  await review.dragOnHistogram(0.15, 0.85)
  const high = await review.confusionCounts()
  expect(low.reduce((a, b) => a + b)).toBe(83)
  expect(high).not.toEqual(low)
  expect(high[0] + high[2]).toBeLessThan(low[0] + low[2]) // a higher threshold flags fewer parts
  await expect(page.getByTestId('threshold-mode')).toHaveValue('manual')
  // The model's own thresholds: calibrated on the 41 held-out good images, so at best 1 / 42 = 2.38 % can be promised.
  await expect(page.getByTestId('calibration-set')).toHaveText('41 held-out good images (never trained on)')
  await expect(page.getByTestId('calibration-bound')).toHaveText('at most 2.38 % of new good parts')
  await expect(page.getByTestId('calibration-observed')).toContainText(/% \(95 % CI 0\.00 % to \d+\.\d+ %\)/)
  await expect(page.getByTestId('calibration-unsupported')).toContainText('The 1.00 % target needs 99 calibration images; 41 can promise 2.38 % at best')
  await page.screenshot({ path: 'e2e/artifacts/review-threshold.png', fullPage: true })
  await checkScreen(page, 'review-threshold')
  // Recalibration from the folder of new good parts: a second revision, weights untouched; then back to the first.
  await page.getByTestId('recalibrate').locator('summary').click()
  await page.getByTestId('recalibrate-dir').fill(fresh)
  await page.getByTestId('recalibrate-start').click()
  await expect(page.getByTestId('recalibrate-done')).toContainText('Revision 2: 61 calibration images, at most 1.61 % of new good parts failed', { timeout: 120_000 })
  await expect(page.getByTestId('calibration-set')).toContainText('and the 41 good images held out at training (61 images)')
  await expect(page.getByTestId('calibration-stale')).toContainText('decided with revision 1; the model now decides with revision 2')
  await page.screenshot({ path: 'e2e/artifacts/review-recalibrated.png', fullPage: true })
  await page.getByTestId('calibration-revision').selectOption('1')
  await expect(page.getByTestId('calibration-bound')).toHaveText('at most 2.38 % of new good parts')
  await expect(page.getByTestId('calibration-stale')).toHaveCount(0)

  await review.tab('metrics').click()
  await expect(page.getByTestId('metric-image-auroc')).toHaveText(/\d+\.\d\d/)
  // At the line: the model's threshold's false rejects and defect recall, the recall at 1 % false rejects, and the drift check.
  for (const id of ['metric-false-reject', 'metric-defect-recall', 'metric-tpr-1pct']) await expect(page.getByTestId(id)).toHaveText(/^\d+\.\d\d$/)
  await expect(page.getByTestId('metric-bound')).toHaveText('2.38')
  await expect(page.getByTestId('drift-warning').or(page.getByTestId('drift-ok'))).toContainText('41 calibration images')
  await page.screenshot({ path: 'e2e/artifacts/review-metrics.png', fullPage: true })
  await checkScreen(page, 'review-metrics')

  // Feature plots: PCA of the final model's features, and the centre initialisation.
  await review.tab('features').click()
  await page.getByTestId('plot-compute').click()
  await expect(page.getByTestId('plot-caption')).toContainText('explained variance', { timeout: 180_000 })
  await expect(page.getByTestId('plot-caption')).toContainText('defective test images')
  await page.screenshot({ path: 'e2e/artifacts/review-pca.png', fullPage: true })
  await page.getByTestId('plot-view').selectOption('contours')
  await page.screenshot({ path: 'e2e/artifacts/review-pca-contours.png', fullPage: true })
  await checkScreen(page, 'review-features')

  // Report: HTML, PDF with the expected pages, CSV equal to the workspace's scores; heat maps with the overlay choice.
  await review.tab('report').click()
  await expect(page.getByTestId('report-above-review')).toBeChecked()
  await expect(page.getByTestId('report-flagged-outline')).toBeChecked()
  await page.getByTestId('export-report').click()
  await expect(page.getByTestId('report-files')).toBeVisible({ timeout: 120_000 })
  const html = (await page.getByTestId('report-html').textContent())!
  const pdf = (await page.getByTestId('report-pdf').textContent())!
  const csv = (await page.getByTestId('report-csv').textContent())!
  expect(existsSync(pdf)).toBe(true)
  const { pages, text } = pdfText(pdf)
  expect(pages).toBeGreaterThanOrEqual(4)
  for (const s of ['Inspection report', 'Model card', 'Backbone weights SHA-256', 'Metrics', 'Threshold', 'Top flagged parts', 'Reviewer verdicts', '3 of 83 images reviewed', 'drawn only at or above the review-band start', 'cyan outline'])
    expect(text).toContain(s)
  const evaluationPrefix = /-([0-9a-f]{8})\.csv$/.exec(csv)![1]
  const db = new Database(join(process.env.PBAS_E2E_WORKSPACE!, 'workspace.sqlite'), { readonly: true })
  const rows = db.prepare('SELECT image_path, score FROM evaluation_items WHERE evaluation_id LIKE ? ORDER BY score DESC').all(`${evaluationPrefix}%`) as { image_path: string; score: number }[]
  db.close()
  const lines = readFileSync(csv, 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(','))
  expect(lines.map((l) => [l[1], Number(l[2])])).toEqual(rows.map((r) => [r.image_path, r.score]))
  expect(lines.slice(0, 3).map((l) => l[6])).toEqual(['defect', 'good', 'unsure'])
  await page.screenshot({ path: 'e2e/artifacts/review-report-panel.png', fullPage: true })
  await checkScreen(page, 'review-report')
  // Back and forward walk the tabs.
  await page.goBack()
  await expect(page).toHaveURL(/\/review\/features\?/)
  await page.goForward()
  await expect(page).toHaveURL(/\/review\/report\?/)
  await page.goto(pathToFileURL(html).href)
  await expect(page.getByText('Top flagged parts')).toBeVisible()
  await page.screenshot({ path: 'e2e/artifacts/report-html.png', fullPage: true })
})
