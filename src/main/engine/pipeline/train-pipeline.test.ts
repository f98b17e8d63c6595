import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { onImageRead } from '../image/open-image'
import { readDataset } from '../data/read-dataset'
import { tinyBackbone, tinyConfig, writeTinyProduct } from '../../../test-support/tiny-model'
import { runTrainingPipeline } from './train-pipeline'

let dir: string
let data: string

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-pipeline-'))
  data = await writeTinyProduct(dir)
}, 60_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the training pipeline', () => {
  it('decodes every image of the data set once for features and every mask once for the review', async () => {
    const reads = new Map<string, number>()
    const off = onImageRead((p) => reads.set(p, (reads.get(p) ?? 0) + 1))
    try {
      const result = await runTrainingPipeline({ data, out: join(dir, 'model'), config: tinyConfig({ epochs: 2 }), backbone: tinyBackbone(dir), backendName: 'wasm', reviewDir: join(dir, 'review') })
      expect(result.review?.items).toHaveLength(10)
    } finally {
      off()
    }
    const ds = await readDataset(data)
    const files = [...ds.samples.map((s) => s.path), ...ds.samples.flatMap((s) => (s.maskPath ? [s.maskPath] : []))]
    expect(files).toHaveLength(12 + 10 + 6)
    // Training images (trained on or held out for calibration), test images, masks: one read each, nothing else read.
    expect(Object.fromEntries(files.map((f) => [f, reads.get(f)]))).toEqual(Object.fromEntries(files.map((f) => [f, 1])))
    expect([...reads.keys()].sort()).toEqual([...files].sort())
    // The nearest-good pool came from those same reads and is stored with the model.
    expect(existsSync(join(dir, 'model', 'good-pool.pbasw'))).toBe(true)
  })
})

describe('the training pipeline degrades instead of dying, and resumes only what it started', () => {
  it('leaves an unreadable training image out, lists it, and still trains', async () => {
    const { cp, writeFile } = await import('node:fs/promises')
    const copy = join(dir, 'one-broken')
    await cp(data, copy, { recursive: true })
    await writeFile(join(copy, 'train/good/003.png'), 'not a png at all')
    const warnings: string[] = []
    await runTrainingPipeline({ data: copy, out: join(dir, 'm-broken'), config: tinyConfig({ epochs: 1 }), backbone: tinyBackbone(dir), backendName: 'wasm' }, { onProgress: (e) => e.kind === 'warning' && warnings.push(e.message) })
    expect(warnings.join('\n')).toContain('1 good image(s) could not be read and are left out')
    const { readModelMeta } = await import('../model/model-file')
    const meta = await readModelMeta(join(dir, 'm-broken'))
    expect(meta.dataset.skipped).toEqual([{ path: join(copy, 'train/good/003.png'), message: expect.stringContaining('Cannot read image') }])
    expect(meta.dataset.trainImages + meta.dataset.validationImages + (meta.thresholds.calibration?.images ?? 0)).toBeGreaterThan(0)
    expect([...meta.dataset.images!.train, ...meta.dataset.images!.heldOut]).not.toContain(join(copy, 'train/good/003.png'))
  })

  it('refuses to resume on other images, says it resumes, accumulates training time, and sweeps stale temp files', async () => {
    const { cp, writeFile, mkdir } = await import('node:fs/promises')
    const { CancelledError } = await import('../util/job')
    const { readModelMeta } = await import('../model/model-file')
    const out = join(dir, 'm-resume')
    const other = join(dir, 'other-data')
    await cp(data, other, { recursive: true })
    await writeFile(join(other, 'train/good/000.png'), await (await import('node:fs/promises')).readFile(join(other, 'train/good/001.png')))
    const job = (d: string) => ({ data: d, out, config: tinyConfig({ epochs: 4 }), backbone: tinyBackbone(dir), backendName: 'wasm' })
    const ac = new AbortController()
    await expect(runTrainingPipeline(job(data), { signal: ac.signal, onProgress: (e) => e.kind === 'checkpoint' && e.epoch === 2 && ac.abort() })).rejects.toBeInstanceOf(CancelledError)
    // A killed run leaves temp files behind; the next start removes them (their writer, pid 999999, is gone).
    await mkdir(`${out}.999999.tmp`)
    await writeFile(join(`${out}.checkpoint`, 'checkpoint.pbasw.999999.abcd.tmp'), 'half a checkpoint')
    await expect(runTrainingPipeline(job(other))).rejects.toThrow(/checkpoint in .*m-resume.checkpoint was written for other training images .*run again with --restart/)
    expect(existsSync(`${out}.999999.tmp`)).toBe(false)
    expect(existsSync(join(`${out}.checkpoint`, 'checkpoint.pbasw.999999.abcd.tmp'))).toBe(false)
    const events: string[] = []
    await runTrainingPipeline(job(data), { onProgress: (e) => e.kind === 'resumed' && events.push(`resumed after ${e.epoch} of ${e.epochs}`) })
    expect(events).toEqual(['resumed after 2 of 4'])
    const resumed = await readModelMeta(out)
    // Training time counts both sessions: at least the first two epochs' seconds.
    expect(resumed.trainingSeconds).toBeGreaterThanOrEqual(resumed.history[0].seconds + resumed.history[1].seconds)
    // The resumed session read its features from the cache, yet the nearest-good pool still holds every good image.
    const { readGoodPool } = await import('../model/good-pool')
    expect((await readGoodPool(out)).paths.sort()).toEqual([...resumed.dataset.images!.train, ...resumed.dataset.images!.heldOut].sort())
    // --restart discards the checkpoint and trains the other data from the start.
    await expect(runTrainingPipeline({ ...job(other), restart: true })).resolves.toMatchObject({ model: out })
  })
})
