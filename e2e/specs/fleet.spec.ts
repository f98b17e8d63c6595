// Journey: stations on other machines report to the shared workspace -> the fleet screen lists them -> push a
// finished run's model to one -> it shows pending until the station reports the switch.
import { expect, test } from '@playwright/test'
import { openWorkspace } from '../../src/main/workspace/workspace-db'
import { ProductStore } from '../../src/main/workspace/products'
import { RunStore } from '../../src/main/workspace/runs'
import { StationStore } from '../../src/main/workspace/stations'
import { resolveConfig } from '../../src/main/engine/pbas/config'
import type { FleetReport } from '../../src/shared/models/fleet'
import type { DatasetSummary } from '../../src/shared/models/dataset-summary'
import { AppShell } from '../pages/app-shell'
import { FleetPage } from '../pages/fleet-page'
import { E2E_TOKEN } from '../playwright.config'
import { checkScreen } from '../support/screens'

const report = (over: Partial<FleetReport>): FleetReport => ({
  state: 'running', modelDir: '/srv/models/a', modelRevision: '3f2a9c01bb7e', thresholdRevision: 2, imagesPerSecond: 28.4, latencyP95Ms: 91, pass: 1180, review: 14, fail: 6, unreadable: 0,
  driftShifted: false, last: { partId: 'cam-01180.png', score: 0.1234, verdict: 'pass', at: new Date().toISOString() }, switched: null, pushError: null, publishes: { mqtt: true, opcua: true }, ...over,
})

test('the fleet lists the stations of the workspace; a model pushed to one is taken and reported', async ({ page }) => {
  // Another process writes to the same workspace, as stations on other machines do.
  const { db } = openWorkspace(process.env.PBAS_E2E_WORKSPACE!)
  try {
    const products = new ProductStore(db)
    const runs = new RunStore(db)
    const product = products.create(`Fleet bottle ${Date.now()}`)
    const ds = products.addDataset(product.id, { root: '/srv/data/bottle', layout: 'mvtec', ok: true } as DatasetSummary)
    const old = runs.setState(runs.create(product.id, ds.id, resolveConfig(), () => '/srv/models/a', { name: 'Spring capture' }).id, 'succeeded')
    const next = runs.setState(runs.create(product.id, ds.id, resolveConfig(), () => '/srv/models/b', { name: 'Autumn recalibrated' }).id, 'succeeded')
    const stations = new StationStore(db)
    stations.report('line-1', 'line-1', 'cell-a-pc', old.id, report({}))
    stations.report('line-2', 'line-2', 'cell-b-pc', old.id, report({ driftShifted: true, imagesPerSecond: 12.1, last: { partId: 'cam-00412.png', score: 0.71, verdict: 'fail', at: new Date().toISOString() }, publishes: { mqtt: true, opcua: false } }))

    await new AppShell(page).open(E2E_TOKEN, '/fleet')
    const fleet = new FleetPage(page)
    await expect(fleet.station('line-1')).toContainText('Spring capture')
    await expect(fleet.station('line-2')).toContainText('drifting')
    await expect(fleet.station('line-1').getByTestId('station-online')).toHaveText('online')

    await fleet.push('line-1', `${product.name} · Autumn recalibrated`)
    await expect(fleet.station('line-1').getByTestId('station-pushed')).toContainText('Autumn recalibrated')
    await page.screenshot({ path: 'e2e/artifacts/fleet-pushed.png', fullPage: true })

    // The station takes it between parts and reports the switch.
    expect(stations.pushed('line-1')).toEqual({ runId: next.id, modelDir: '/srv/models/b' })
    stations.took('line-1', next.id)
    stations.report('line-1', 'line-1', 'cell-a-pc', next.id, report({ modelDir: '/srv/models/b', modelRevision: '77c0e1d2aa90', switched: { runId: next.id, at: new Date().toISOString() } }))
    await expect(fleet.station('line-1').getByTestId('station-switched')).toBeVisible()
    await expect(fleet.station('line-1').getByTestId('station-model')).toContainText('Autumn recalibrated')
    await expect(fleet.station('line-1').getByTestId('station-pushed')).toHaveCount(0)
    await checkScreen(page, 'fleet')
  } finally {
    db.close()
  }
})
