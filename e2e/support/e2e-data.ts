// Playwright global set-up: the generated products the journeys import (the demo's synthetic product, shaped like MVTec bottle's counts), written once per run; no ../shared needed.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { writeSyntheticProduct } from '../../src/main/engine/demo/synthetic-product'

/** The built-in ResNet18 weights folder (what a user's first run uses). */
export const BUILT_IN_BACKBONE = resolve(__dirname, '..', '..', 'resources', 'backbones', 'resnet18_imagenet_to_layer3')

/** bottle's counts (209 train good, 20 test good, 63 defective), so the hold-out and calibration figures are those of a real first product. */
const PRODUCT = { size: 256, trainGood: 209, testGood: 20, testScratch: 32, testDent: 31, seed: 21 }

/** The generated product's folder (set by this global set-up). */
export function e2eProduct(): string {
  const p = process.env.PBAS_E2E_PRODUCT
  if (!p) throw new Error('PBAS_E2E_PRODUCT is not set: run the journeys through e2e/playwright.config.ts, whose global set-up writes the product')
  return p
}

/** A folder with four times the product's training images (a check that takes seconds, long enough to cancel). */
export function e2eBigProduct(): string {
  return join(e2eProduct(), '..', 'big')
}

export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'pbas-e2e-data-'))
  const product = join(root, 'discs')
  await writeSyntheticProduct(product, PRODUCT)
  const good = join(product, 'train', 'good')
  const big = join(root, 'big', 'train', 'good')
  mkdirSync(big, { recursive: true })
  const files = readdirSync(good)
  for (let copy = 0; copy < 4; copy++) for (const f of files) copyFileSync(join(good, f), join(big, `${copy}-${f}`))
  process.env.PBAS_E2E_PRODUCT = product
}
