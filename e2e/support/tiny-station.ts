// The station journeys' set-up: a small generated product, a quickly trained model, and its station screen open.
import { expect, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeSyntheticProduct } from '../../src/main/engine/demo/synthetic-product'
import { AppShell } from '../pages/app-shell'
import { ProductsPage } from '../pages/products-page'
import { TrainPage } from '../pages/train-page'
import { RunPage } from '../pages/run-page'
import { StationPage } from '../pages/station-page'
import { E2E_TOKEN } from '../playwright.config'
import { BUILT_IN_BACKBONE } from './e2e-data'

/** A small, quickly trained model: the station journeys are about the screens, not the accuracy. */
const TINY = {
  imageSize: 64, resize: 64, pretrainDim: 64, targetDim: 64, discHidden: 16,
  batchSize: 4, epochs: 4, lrProjector: 1e-3, lrDiscriminator: 1e-3, validationShare: 0.25, checkpointEvery: 2,
}

/** Writes a 64 px product (12 train good; test: 4 good, 3 scratch, 3 dent) and an empty line folder under a new temp folder. */
export async function tinyProductAndLine(prefix: string): Promise<{ product: string; line: string }> {
  const work = mkdtempSync(join(tmpdir(), prefix))
  const product = join(work, 'discs')
  await writeSyntheticProduct(product, { size: 64, trainGood: 12, testGood: 4, testScratch: 3, testDent: 3, seed: 5 })
  const line = join(work, 'line')
  mkdirSync(line)
  return { product, line }
}

/** Creates a product from `product`, trains the tiny model, and opens its station screen. */
export async function trainAndOpenStation(page: Page, name: string, product: string): Promise<{ runs: RunPage; station: StationPage }> {
  await new AppShell(page).open(E2E_TOKEN)
  const products = new ProductsPage(page)
  await products.createProduct(`${name} ${Date.now()}`)
  await products.importFolder(product)
  const train = new TrainPage(page)
  await train.open()
  await train.startWith(TINY, BUILT_IN_BACKBONE)
  const runs = new RunPage(page)
  await expect(runs.state).toHaveText('succeeded', { timeout: 120_000 })
  await runs.run.getByTestId('open-station').click()
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]+\/station$/)
  const station = new StationPage(page)
  await expect(station.view).toBeVisible()
  return { runs, station }
}
