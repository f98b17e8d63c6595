// Journey: stations on other machines report to the shared workspace -> the fleet screen lists them -> push a
// finished run's model to one -> it shows pending until the station reports the switch.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { AppShell } from '../pages/app-shell'
import { FleetPage } from '../pages/fleet-page'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'

/** Another process writing to the same workspace, as the stations at the line do. */
const stationsElsewhere = (...args: string[]) =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '../support/fleet-fixture.ts'), args[0], process.env.PBAS_E2E_WORKSPACE!, ...args.slice(1)], { encoding: 'utf8' }))

test('the fleet lists the stations of the workspace; a model pushed to one is taken and reported', async ({ page }) => {
  const product = `Fleet bottle ${Date.now()}`
  const { next } = stationsElsewhere('setup', product)

  await new AppShell(page).open(E2E_TOKEN, '/fleet')
  const fleet = new FleetPage(page)
  await expect(fleet.station('line-1')).toContainText('Spring capture')
  await expect(fleet.station('line-2')).toContainText('drifting')
  await expect(fleet.station('line-1').getByTestId('station-online')).toHaveText('online')
  await expect(fleet.station('qe-desk-app').getByTestId('station-no-push')).toContainText('Run from the app on qe-desk')
  await expect(fleet.station('qe-desk-app').getByTestId('push-run')).toHaveCount(0)

  await fleet.push('line-1', `${product} · Autumn recalibrated`)
  await expect(fleet.station('line-1').getByTestId('station-pushed')).toContainText('Autumn recalibrated')
  await page.screenshot({ path: 'e2e/artifacts/fleet-pushed.png', fullPage: true })

  // The station takes it between parts and reports the switch; the screen follows within its refresh.
  expect(stationsElsewhere('take')).toEqual({ runId: next, modelDir: '/srv/models/b' })
  await expect(fleet.station('line-1').getByTestId('station-switched')).toBeVisible()
  await expect(fleet.station('line-1').getByTestId('station-model')).toContainText('Autumn recalibrated')
  await expect(fleet.station('line-1').getByTestId('station-pushed')).toHaveCount(0)
  await checkScreen(page, 'fleet')
})
