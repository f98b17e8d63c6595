// The review flow through the IPC dispatcher with a real worker: train -> review -> verdicts -> plots -> report.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppContext, type AppContext } from '../compose/app-context'
import { writeSyntheticProduct } from '../engine/demo/synthetic-product'
import type { JobEvent } from '../../shared/models/job'
import type { RunEvent } from '../../shared/models/workspace'
import type { InvokeChannel, InvokeArg, InvokeReturn } from '../../shared/ipc/invoke-map'
import { BUILT_IN_RESNET18, REPO_ROOT } from '../../test-support/shared'
import { findChromium } from '../report/pdf-chromium'
import { main } from '../cli/main'

let dir: string
let ctx: AppContext
const tiny = { backbone: BUILT_IN_RESNET18, imageSize: 64, resize: 64, pretrainDim: 64, targetDim: 64, discHidden: 16, batchSize: 4, checkpointEvery: 1, epochs: 2 }

async function call<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeReturn<C>> {
  const r = await ctx.dispatch(channel, arg)
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
  return r.value
}

function jobDone(jobId: string, seen: JobEvent[] = []): Promise<Extract<JobEvent, { type: 'state' }>> {
  return new Promise((resolve) => {
    const off = ctx.runner.on((e) => {
      if (e.jobId !== jobId) return
      seen.push(e)
      if (e.type === 'state' && ['succeeded', 'failed', 'cancelled'].includes(e.state)) {
        off()
        resolve(e)
      }
    })
  })
}

function runDone(runId: string, seen: RunEvent[] = []): Promise<RunEvent> {
  return new Promise((resolve) => {
    const off = ctx.runService.on((e) => {
      if (e.runId !== runId) return
      seen.push(e)
      if (e.type === 'state' && ['succeeded', 'failed', 'cancelled'].includes(e.run.state)) {
        off()
        resolve(e)
      }
    })
  })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-review-flow-'))
  await writeSyntheticProduct(join(dir, 'p'), { size: 64, trainGood: 8, testGood: 3, testScratch: 3, testDent: 2, seed: 4 })
  process.env.PBAS_REVIEWER = 'qe-ana'
  ctx = createAppContext(join(dir, 'ws'), { workerScript: join(REPO_ROOT, 'src/main/jobs/engine-worker.ts'), dataDir: join(dir, 'data') })
})
afterAll(async () => {
  await ctx.close()
  delete process.env.PBAS_REVIEWER
  await rm(dir, { recursive: true, force: true })
})

describe('review flow', () => {
  it('a finished run opens into review; verdicts, thresholds, folder evaluations, plots and reports work', async () => {
    const product = ctx.products.create('Discs')
    const ds = ctx.products.addDataset(product.id, { root: join(dir, 'p'), layout: 'mvtec', ok: true } as never)
    const run = await call('runs:start', { productId: product.id, datasetId: ds.id, preset: 'quick', overrides: tiny })
    const done = await runDone(run.id)
    expect(done.type === 'state' && [done.run.state, done.run.error]).toEqual(['succeeded', undefined])

    // The training job reviewed the test split: one evaluation, scores in the workspace, worst first.
    const [evaluation] = await call('evaluations:list', { runId: run.id })
    expect(evaluation).toMatchObject({ state: 'succeeded', images: 8, metrics: { image_auroc: expect.any(Number) } })
    const review = await call('evaluations:review', { evaluationId: evaluation.id })
    const scores = review.items.map((x) => x.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const thumbs = await call('evaluations:thumbs', { evaluationId: evaluation.id, indices: [review.items[0].index] })
    expect(thumbs[review.items[0].index]).toMatch(/^data:image\/jpeg;base64,/)
    expect(await ctx.dispatch('evaluations:thumbs', { evaluationId: evaluation.id, indices: [8] })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(review.curves!.roc.length).toBeGreaterThan(1)
    const defect = review.items.find((x) => x.label === 'defect')!
    const pics = await call('evaluations:image', { evaluationId: evaluation.id, index: defect.index })
    expect([pics.image.slice(0, 15), pics.map.slice(0, 14), !!pics.mask, !!pics.nearest]).toEqual(['data:image/jpeg', 'data:image/png', true, true])
    expect(await ctx.dispatch('evaluations:image', { evaluationId: evaluation.id, index: 99 })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })

    // Threshold, verdicts (who/when), confirmed-good images for the next run.
    const t = { mode: 'manual' as const, value: review.items[2].score, review: review.items[4].score }
    expect((await call('evaluations:set-threshold', { evaluationId: evaluation.id, threshold: t })).threshold).toEqual(t)
    expect(await ctx.dispatch('evaluations:set-threshold', { evaluationId: evaluation.id, threshold: { ...t, review: t.value + 1 } })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    await call('verdicts:set', { runId: run.id, imagePath: review.items[0].path, verdict: 'defect' })
    const good = review.items.find((x) => x.label === 'good')!
    expect(await call('verdicts:set', { runId: run.id, imagePath: good.path, verdict: 'good' })).toMatchObject({ reviewer: 'qe-ana', verdict: 'good' })
    expect(await ctx.dispatch('verdicts:set', { runId: run.id, imagePath: good.path, verdict: 'maybe' as never })).toMatchObject({ ok: false })

    // A plain folder of new images: no labels, no metrics; a part confirmed good there joins the training set.
    await mkdir(join(dir, 'incoming'))
    await copyFile(join(dir, 'p/test/scratch/000.png'), join(dir, 'incoming/a.png'))
    await copyFile(join(dir, 'p/test/good/000.png'), join(dir, 'incoming/b.png'))
    const started = await call('evaluations:start', { runId: run.id, dir: join(dir, 'incoming') })
    expect((await jobDone(started.jobId)).state).toBe('succeeded')
    const folderEval = (await call('evaluations:list', { runId: run.id })).find((e) => e.id === started.evaluation.id)!
    expect(folderEval).toMatchObject({ state: 'succeeded', images: 2, metrics: null })
    await call('verdicts:set', { runId: run.id, imagePath: join(dir, 'incoming/b.png'), verdict: 'good' })
    expect(await call('training:add-good', { productId: product.id, paths: [join(dir, 'incoming/b.png')] })).toEqual({ added: 1, total: 1, refused: [] })
    // Test-split images, unreadable files and special files never join; the reasons come back.
    const refused = await call('training:add-good', { productId: product.id, paths: [good.path, join(dir, 'incoming/none.png'), '/dev/zero'] })
    expect(refused).toMatchObject({ added: 0, total: 1, refused: [{ path: good.path, reason: expect.stringContaining('test split') }, { path: join(dir, 'incoming/none.png') }, { path: '/dev/zero' }] })
    expect(await call('training:list', { productId: product.id })).toEqual([{ path: join(dir, 'incoming/b.png'), addedBy: 'qe-ana', addedAt: expect.any(String) }])

    // Recalibration without retraining: from the parts confirmed good in the folder evaluation, never from the test split.
    const cal = await call('calibrations:list', { runId: run.id })
    expect(cal).toMatchObject({ active: 1, revisions: [{ id: 1, by: 'training', images: 2 }], calibration: { images: 2 } })
    expect(await ctx.dispatch('calibrations:start', { runId: run.id, evaluationId: evaluation.id })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('test split never calibrates') } })
    const recal = await jobDone((await call('calibrations:start', { runId: run.id, evaluationId: folderEval.id })).jobId)
    expect(recal.state === 'succeeded' && recal.kind === 'calibrate' && recal.result.revision).toMatchObject({ id: 2, by: 'qe-ana', images: 3 })
    expect((await call('calibrations:list', { runId: run.id })).active).toBe(2)
    expect(await call('calibrations:select', { runId: run.id, revision: 1 })).toMatchObject({ active: 1, band: cal.band })

    // A cancelled evaluation is recorded as cancelled and keeps no scores.
    const doomed = await call('evaluations:start', { runId: run.id })
    const ended = jobDone(doomed.jobId)
    expect(await call('evaluations:cancel', { evaluationId: doomed.evaluation.id })).toBe(true)
    expect((await ended).state).toBe('cancelled')
    expect(ctx.evaluations.get(doomed.evaluation.id)).toMatchObject({ state: 'cancelled', images: 0 })

    // Feature plots and the centre initialisation.
    const plotJob = await call('plots:start', { runId: run.id, stage: 'final' })
    const plot = await jobDone(plotJob.jobId)
    expect(plot.state === 'succeeded' && plot.kind === 'feature-plot' && plot.result.groups.map((g) => g.name)).toContain('synthetic')
    const centre = await call('plots:centre', { runId: run.id })
    expect(centre.distances).toHaveLength(2) // 6 training images (2 held out) in batches of 4
    expect(centre.rule).toContain('abl-cosine')

    // Report: HTML with every section, CSV equal to the workspace's scores, PDF where Chromium exists.
    const files = await call('reports:export', { evaluationId: evaluation.id })
    const html = readFileSync(files.html, 'utf8')
    for (const s of ['Model card', 'Metrics', 'Top flagged parts', 'Reviewer verdicts', 'qe-ana', ctx.runs.get(run.id).id]) expect(html).toContain(s)
    expect(html).not.toMatch(/src="(?!data:)/) // self-contained
    const csv = readFileSync(files.csv, 'utf8').trim().split('\r\n')
    expect(csv[0]).toBe('rank,image_path,score,label,defect_type,decision,verdict,reviewer,verdict_at')
    const fromDb = ctx.db.all<{ image_path: string; score: number }>('SELECT image_path, score FROM evaluation_items WHERE evaluation_id = ? ORDER BY score DESC', [evaluation.id])
    expect(csv.slice(1).map((l) => [l.split(',')[1], Number(l.split(',')[2])])).toEqual(fromDb.map((r) => [r.image_path, r.score]))
    expect(csv[1].split(',').slice(5, 8)).toEqual(['fail', 'defect', 'qe-ana'])
    if (findChromium()) {
      expect(files.pdfError).toBeUndefined()
      expect(readFileSync(files.pdf!).subarray(0, 5).toString()).toBe('%PDF-')
    }

    // `pbas report` writes the same report from the workspace without the app.
    const logs: string[] = []
    const spy = vi.spyOn(console, 'log').mockImplementation((m: string) => void logs.push(m))
    const errs = vi.spyOn(console, 'error').mockImplementation((m: string) => void logs.push(m))
    try {
      expect(await main(['report', '--workspace', ctx.workspace, '--run', run.id, '--out', join(dir, 'cli'), '--no-pdf', '--json'])).toBe(0)
      const cli = JSON.parse(logs[0])
      expect(readFileSync(cli.csv, 'utf8')).toBe(readFileSync(files.csv, 'utf8'))
      expect(await main(['report', '--workspace', ctx.workspace])).toBe(2)
      expect(logs.at(-1)).toContain(`--run ${run.id} --evaluation ${evaluation.id} (8 images`)
    } finally {
      spy.mockRestore()
      errs.mockRestore()
    }

    // The next run trains on the image the reviewer confirmed good.
    const seen: RunEvent[] = []
    const next = await call('runs:start', { productId: product.id, datasetId: ds.id, preset: 'quick', overrides: { ...tiny, epochs: 1 } })
    await runDone(next.id, seen)
    expect(seen.some((e) => e.type === 'progress' && e.progress.kind === 'stage' && e.progress.message.includes('9 good images (1 added by reviewers)'))).toBe(true)
    expect(existsSync(join(ctx.workspace, 'reviews', next.id, 'test-split', 'review.json'))).toBe(true)
  }, 300_000)
})
