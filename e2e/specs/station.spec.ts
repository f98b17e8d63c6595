// Journey: a finished run -> start a station on a folder -> copy images in -> counters, strip and review queue update
// -> a verdict on a queued part -> pause/resume -> stop -> export the model as ONNX.
import { expect, test } from '@playwright/test'
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkScreen } from '../support/screens'
import { tinyProductAndLine, trainAndOpenStation } from '../support/tiny-station'

test('run a station on a folder: counters, strip, review queue with a verdict, pause, stop; export ONNX', async ({ page }) => {
  test.setTimeout(240_000)
  const { product, line } = await tinyProductAndLine('pbas-e2e-station-')
  const parts = ['dent', 'scratch', 'good'].flatMap((t) => readdirSync(join(product, 'test', t)).map((f) => join(product, 'test', t, f)))

  const { runs, station } = await trainAndOpenStation(page, 'Station discs', product)
  await expect(page.getByTestId('strip-empty')).toBeVisible()
  // Published to a broker that is down (nothing listens on port 1): the station scores on, the outbox keeps the verdicts.
  await station.publishTo('e2e-line', 'mqtt://127.0.0.1:1')
  await page.screenshot({ path: 'e2e/artifacts/station-line-settings.png', fullPage: true })
  await station.startOn(line, true)
  await expect(station.view).toContainText('publishing as e2e-line to mqtt://127.0.0.1:1')

  // Parts arrive: the counters and the strip follow, the flagged ones join the review queue.
  parts.forEach((p, i) => copyFileSync(p, join(line, `cam-${String(i).padStart(3, '0')}.png`)))
  writeFileSync(join(line, 'cam-broken.png'), 'not an image: the camera stopped mid-write')
  await expect.poll(() => station.scored(), { timeout: 30_000 }).toBe(parts.length)
  await expect(station.count('unreadable')).toHaveText('1')
  await expect(station.stripParts).toHaveCount(parts.length)
  await expect(page.getByTestId('images-per-second')).not.toHaveText('0.0')
  await expect(page.getByTestId('latency-p95')).toHaveText(/\d+ ms/)
  // Too few passed parts to compare the line with the calibration images yet: the screen says when it will.
  await expect(page.getByTestId('line-drift')).toContainText('once 20 parts have passed')
  const flagged = Number(await station.count('review').textContent()) + Number(await station.count('fail').textContent())
  expect(flagged).toBeGreaterThan(0)
  await expect(station.queueItems).toHaveCount(flagged, { timeout: 10_000 })
  // The main navigation points at the running station from every screen.
  await expect(page.getByTestId('nav-station')).toContainText('running')
  await page.screenshot({ path: 'e2e/artifacts/station-running.png', fullPage: true })
  await checkScreen(page, 'station-running')

  // A reviewer sets a verdict on a queued part while the line runs.
  await station.queueItems.first().click()
  await page.locator('body').press('d')
  await expect(station.queue.getByTestId('grid-verdict').first()).toHaveText('defect')
  await expect(page.getByTestId('viewer-verdict')).toContainText(/^defect - /)
  await page.screenshot({ path: 'e2e/artifacts/station-verdict.png', fullPage: true })

  // Paused: new images wait; resumed: they are scored.
  await station.pause.click()
  await expect(station.state).toHaveText('paused')
  copyFileSync(parts[0], join(line, 'late-1.png'))
  copyFileSync(parts[1], join(line, 'late-2.png'))
  await page.waitForTimeout(1500)
  expect(await station.scored()).toBe(parts.length)
  await station.resume.click()
  await expect.poll(() => station.scored(), { timeout: 30_000 }).toBe(parts.length + 2)

  await station.stop.click()
  await expect(station.state).toHaveText('stopped', { timeout: 30_000 })
  // ...and stays stopped (the reply to the click must not overwrite the newer state event).
  await page.waitForTimeout(500)
  await expect(station.state).toHaveText('stopped')
  await expect(station.stop).toBeHidden()
  await expect(station.start).toBeEnabled()
  // --sort: every readable image is in pass/, review/ or fail/; the broken one stayed.
  const sorted = ['pass', 'review', 'fail'].flatMap((f) => (existsSync(join(line, f)) ? readdirSync(join(line, f)) : []))
  expect(sorted).toHaveLength(parts.length + 2)
  expect(readdirSync(line).filter((f) => f.endsWith('.png'))).toEqual(['cam-broken.png'])
  await page.screenshot({ path: 'e2e/artifacts/station-stopped.png', fullPage: true })

  // Export: back on the run's screen, the finished run writes its ONNX package into the workspace.
  await page.getByTestId('station-back').click()
  await runs.run.getByTestId('export-open').click()
  await runs.run.getByTestId('export-start').click()
  await expect(runs.run.getByTestId('export-done')).toBeVisible({ timeout: 60_000 })
  const dir = (await runs.run.getByTestId('export-path').textContent())!
  for (const f of ['model.onnx', 'model.json', 'README.md']) expect(existsSync(join(dir, f))).toBe(true)
  await page.screenshot({ path: 'e2e/artifacts/station-export.png', fullPage: true })
})
