// Journey: a new model's first day at the station. Commissioning sends uncertain parts to review; reviewers confirm
// good ones; at K (3 here, PBAS_COMMISSION_K in playwright.config.ts) the station proposes recalibration; one click
// records the revision and the station goes on with it; later the threshold panel shows both levels.
import { expect, test } from '@playwright/test'
import { copyFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ReviewPage } from '../pages/review-page'
import { checkScreen } from '../support/screens'
import { tinyProductAndLine, trainAndOpenStation } from '../support/tiny-station'

test('commissioning: uncertain parts to review, confirmations, one-click recalibration; both levels on the threshold panel', async ({ page }) => {
  test.setTimeout(300_000)
  const { product, line } = await tinyProductAndLine('pbas-e2e-commission-')
  const goods = readdirSync(join(product, 'test', 'good')).map((f) => join(product, 'test', 'good', f))
  const dents = readdirSync(join(product, 'test', 'dent')).map((f) => join(product, 'test', 'dent', f))

  const { runs, station } = await trainAndOpenStation(page, 'Commissioning discs', product)
  await station.startOn(line, false)

  // A new model starts in commissioning.
  const card = page.getByTestId('commissioning')
  await expect(card).toHaveAttribute('data-state', 'commissioning')
  // Good parts of the line, four of each (the model has seen none of them), and a few dents.
  const names: string[] = []
  goods.forEach((g, i) => [0, 1, 2, 3].forEach((r) => (copyFileSync(g, join(line, `good-${i}-${r}.png`)), names.push(`good-${i}-${r}`))))
  dents.forEach((d, i) => copyFileSync(d, join(line, `dent-${i}.png`)))
  await expect.poll(() => station.scored(), { timeout: 60_000 }).toBe(names.length + dents.length)
  await expect(station.queueItems.first()).toBeVisible({ timeout: 10_000 })
  await page.screenshot({ path: 'e2e/artifacts/station-commissioning.png', fullPage: true })
  await checkScreen(page, 'station-commissioning')

  // Reviewers confirm the good parts in the queue (g) until the station proposes recalibration.
  const queuedGoods = page.locator('[data-testid="review-queue"] [data-testid="grid-item"][title*="/good-"]')
  const n = await queuedGoods.count()
  expect(n).toBeGreaterThanOrEqual(3)
  for (let i = 0; i < n && !(await page.getByTestId('commissioning-proposal').isVisible()); i++) {
    await queuedGoods.nth(i).click()
    await page.locator('body').press('g')
    await expect(page.getByTestId('commissioning-count')).toContainText(`${i + 1} of 3 confirmed good`)
  }
  await expect(page.getByTestId('commissioning-proposal')).toBeVisible()
  await expect(card).toHaveAttribute('data-state', 'proposal')
  await page.screenshot({ path: 'e2e/artifacts/station-proposal.png', fullPage: true })

  // One click: a new revision, and the station goes on with it.
  await page.getByTestId('commissioning-recalibrate').click()
  await expect(card).toContainText('calibration revision 2', { timeout: 60_000 })
  await expect(station.state).toHaveText('running', { timeout: 30_000 })
  // The line's good parts again: once enough of them score like the new calibration, commissioning ends.
  goods.forEach((g, i) => [0, 1].forEach((r) => copyFileSync(g, join(line, `after-${i}-${r}.png`))))
  const total = names.length + dents.length + goods.length * 2
  await expect.poll(() => station.scored(), { timeout: 60_000 }).toBe(total)
  const after = page.locator('[data-testid="review-queue"] [data-testid="grid-item"][title*="/after-"]')
  for (let i = 0; i < (await after.count()); i++) {
    await after.nth(i).click()
    await page.locator('body').press('g')
  }
  await expect(card).toHaveAttribute('data-state', 'commissioned', { timeout: 30_000 })
  await page.screenshot({ path: 'e2e/artifacts/station-commissioned.png', fullPage: true })
  await checkScreen(page, 'station-commissioned')
  await station.stop.click()
  await expect(station.state).toHaveText('stopped', { timeout: 30_000 })

  // The threshold panel of the test split: both model levels drawn and explained, and the card says which is which.
  await page.getByTestId('station-back').click()
  await runs.run.getByTestId('open-review').click()
  const review = new ReviewPage(page)
  await review.tab('threshold').click()
  await expect(page).toHaveURL(/\/review\/threshold\?/)
  await expect(page.getByTestId('calibration-card')).toBeVisible()
  await expect(page.getByTestId('calibration-fail-level')).toBeVisible()
  await expect(page.getByTestId('calibration-tail')).toContainText('an estimate, not a promise')
  await expect(page.getByTestId('model-levels')).toContainText('calibration level')
  await page.screenshot({ path: 'e2e/artifacts/threshold-levels.png', fullPage: true })
  await checkScreen(page, 'threshold-levels')
  // Logit spacing: the same thresholds and verdicts, the histogram spread where scores crowd near 1.
  const before = await review.confusionCounts()
  await page.getByTestId('logit-axis').click()
  await expect(page.getByTestId('histogram')).toBeVisible()
  expect(await review.confusionCounts()).toEqual(before)
  await page.screenshot({ path: 'e2e/artifacts/threshold-levels-logit.png', fullPage: true })
})
