// `pbas train --review` and the app's training run share one pipeline: the same review, byte for byte.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppContext, type AppContext } from './app-context'
import { writeSyntheticProduct } from '../engine/demo/synthetic-product'
import { checkDataset } from '../engine/data/check-dataset'
import { reviewFiles } from '../engine/pipeline/write-review'
import type { ReviewSummary } from '../../shared/models/review'
import { BUILT_IN_RESNET18, REPO_ROOT } from '../../test-support/shared'
import { main } from '../cli/main'

let dir: string
let ctx: AppContext
const tiny = { backbone: BUILT_IN_RESNET18, imageSize: 64, resize: 64, pretrainDim: 64, targetDim: 64, discHidden: 16, batchSize: 4, checkpointEvery: 1, epochs: 2 }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-parity-'))
  await writeSyntheticProduct(join(dir, 'p'), { size: 64, trainGood: 8, testGood: 3, testScratch: 2, testDent: 2, seed: 8 })
  ctx = createAppContext(join(dir, 'ws'), { workerScript: join(REPO_ROOT, 'src/main/jobs/engine-worker.ts'), dataDir: join(dir, 'data') })
})
afterAll(async () => {
  await ctx.close()
  await rm(dir, { recursive: true, force: true })
})

const summaryOf = (reviewDir: string): ReviewSummary => JSON.parse(readFileSync(join(reviewDir, reviewFiles.summary), 'utf8'))

describe('one pipeline for the CLI and the app', () => {
  it('pbas train --review writes the review the app writes for the same run', async () => {
    // The app: a Quick run with overrides, in the engine worker.
    const product = ctx.products.create('Discs')
    const ds = ctx.products.addDataset(product.id, await checkDataset(join(dir, 'p')))
    const run = ctx.runService.start(product.id, ds.id, 'quick', tiny)
    await new Promise<void>((resolve) => ctx.runService.on((e) => e.runId === run.id && e.type === 'state' && ['succeeded', 'failed'].includes(e.run.state) && resolve()))
    expect(ctx.runs.get(run.id).state).toBe('succeeded')
    const appReview = ctx.reviewService.testSplitDir(run.id)
    // The CLI: the same preset and overrides, in this process.
    await writeFile(join(dir, 'cfg.json'), JSON.stringify(tiny))
    const cliReview = join(dir, 'cli-review')
    const quiet = [vi.spyOn(console, 'log').mockImplementation(() => {}), vi.spyOn(console, 'error').mockImplementation(() => {})]
    try {
      expect(await main(['train', '--data', join(dir, 'p'), '--out', join(dir, 'cli-model'), '--preset', 'quick', '--config', join(dir, 'cfg.json'), '--review', cliReview, '--json'])).toBe(0)
    } finally {
      quiet.forEach((s) => s.mockRestore())
    }
    const a = summaryOf(appReview)
    const b = summaryOf(cliReview)
    expect(b.items.map((x) => [x.path, x.score])).toEqual(a.items.map((x) => [x.path, x.score]))
    expect(b.mapRange).toEqual(a.mapRange)
    expect(b.metrics).toMatchObject({ image_auroc: a.metrics!.image_auroc, pixel_pro: a.metrics!.pixel_pro })
    for (const x of a.items) expect(readFileSync(join(cliReview, reviewFiles.map(x.index))).equals(readFileSync(join(appReview, reviewFiles.map(x.index))))).toBe(true)
  }, 240_000)
})
