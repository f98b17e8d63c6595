import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile, mkdir, copyFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { initBackend } from '../backend/select-backend'
import { PbasModel } from './predict'
import { evaluateModel } from './evaluate-model'
import { CancelledError } from '../util/job'
import { trainTinyModel, tinyBackbone } from '../../../test-support/tiny-model'
import { reviewSamples } from '../review/review-samples'
import { reviewFiles, writeReview } from './write-review'
import type { ReviewSummary } from '../../../shared/models/review'

let dir: string
let data: string
let model: PbasModel
const goodTraining = () => Array.from({ length: 12 }, (_, i) => join(data, 'train/good', `${String(i).padStart(3, '0')}.png`))

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-review-'))
  const t = await trainTinyModel(dir)
  data = t.data
  model = await PbasModel.load(t.model, tinyBackbone(dir))
}, 120_000)
afterAll(async () => {
  model?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('writeReview', () => {
  it('writes scores equal to evaluation, 8-bit maps on one range, masks, thumbnails, nearest good images and curves', async () => {
    const { kind, labelled, samples } = await reviewSamples(data)
    expect(kind).toBe('test-split')
    const out = join(dir, 'review')
    const before = tf.memory().numTensors
    const summary = await writeReview({ model, samples, labelled, source: { data, kind }, outDir: out })
    expect(tf.memory().numTensors).toBe(before)
    const ev = await evaluateModel(model, data, undefined)
    expect(summary.items.map((x) => x.score)).toEqual(Array.from(ev.scored.scores))
    expect(summary.metrics!.image_auroc).toBeCloseTo(ev.image_auroc!, 10)
    expect(summary.metrics!.pixel_pro).toBeCloseTo(ev.pixel_pro!, 10)
    expect(summary.items.filter((x) => x.label === 'defect')).toHaveLength(6)
    expect(summary.items.every((x) => x.hasMask === (x.label === 'defect'))).toBe(true)
    // The nearest good image comes from the pool the model stored at training time (its good images).
    expect(summary.items.every((x) => goodTraining().includes(x.nearestPath!))).toBe(true)
    // The grey map decodes back to the score map within one quantisation step.
    // Every evaluation of a model draws its maps on the model's range: median good patch to the fail threshold.
    const { lo, hi } = summary.mapRange
    expect(summary.mapRange).toEqual(model.meta.thresholds.mapRange)
    expect(hi).toBe(model.meta.thresholds.band.fail)
    expect(lo).toBeLessThan(hi)
    const grey = await sharp(join(out, reviewFiles.map(0))).extractChannel(0).raw().toBuffer()
    const [p] = await model.predict([summary.items[0].path])
    for (let j = 0; j < grey.length; j += 97) {
      const expected = Math.min(1, Math.max(0, (p.map[j] - lo) / (hi - lo))) * 255
      expect(Math.abs(grey[j] - expected)).toBeLessThanOrEqual(0.5 + 1e-3)
    }
    for (const i of [0, 9]) for (const f of [reviewFiles.image(i), reviewFiles.thumb(i)]) expect(existsSync(join(out, f))).toBe(true)
    const defectIdx = summary.items.find((x) => x.hasMask)!.index
    expect(existsSync(join(out, reviewFiles.mask(defectIdx)))).toBe(true)
    expect(existsSync(join(out, reviewFiles.mask(summary.items.find((x) => x.label === 'good')!.index)))).toBe(false)
    expect(summary.curves!.roc[0]).toEqual([0, 0])
    expect(summary.curves!.roc.at(-1)).toEqual([1, 1])
    expect(summary.thresholds.f1!.mode).toBe('f1-max')
    const saved = JSON.parse(readFileSync(join(out, reviewFiles.summary), 'utf8')) as ReviewSummary
    expect(saved.items).toEqual(summary.items)
  })

  it('reviews a plain folder of new images without labels or metrics', async () => {
    const folder = join(dir, 'incoming')
    await mkdir(folder, { recursive: true })
    await copyFile(join(data, 'test/good/000.png'), join(folder, 'a.png'))
    await copyFile(join(data, 'test/scratch/000.png'), join(folder, 'b.png'))
    await writeFile(join(folder, 'c.png'), Buffer.from('not a png'))
    const { kind, labelled, samples } = await reviewSamples(folder)
    expect([kind, labelled, samples.length]).toEqual(['folder', false, 3])
    const summary = await writeReview({ model, samples, labelled, source: { data: folder, kind }, outDir: join(dir, 'review-folder') })
    expect(summary.metrics).toBeNull()
    expect(summary.curves).toBeNull()
    // The unreadable file is left out and listed with the reason; the others are scored.
    expect(summary.skipped).toEqual([{ path: join(folder, 'c.png'), message: expect.stringContaining('Cannot read image') }])
    expect(summary.items).toHaveLength(2)
    expect(summary.items.map((x) => [x.label, x.defectType, x.hasMask])).toEqual([[null, null, false], [null, null, false]])
    // New parts are shown beside the most similar good image the model learnt from.
    expect(summary.items.every((x) => goodTraining().includes(x.nearestPath!))).toBe(true)
    // A model from before stored ranges: the range comes from the maps themselves.
    const stored = model.meta.thresholds.mapRange
    delete model.meta.thresholds.mapRange
    try {
      const old = await writeReview({ model, samples, labelled, source: { data: folder, kind }, outDir: join(dir, 'review-old') })
      expect(old.mapRange.hi).toBeGreaterThanOrEqual(model.meta.thresholds.band.fail)
      expect(old.mapRange.lo).toBeLessThan(old.mapRange.hi)
    } finally {
      model.meta.thresholds.mapRange = stored
    }
  })

  it('keeps the previous review when a new one is cancelled, and names an empty folder', async () => {
    const out = join(dir, 'review')
    const before = readFileSync(join(out, reviewFiles.summary), 'utf8')
    const ac = new AbortController()
    const { labelled, samples } = await reviewSamples(data)
    const job = writeReview({ model, samples, labelled, source: { data, kind: 'test-split' }, outDir: out }, { signal: ac.signal, onProgress: (e) => (e as { stage?: string }).stage === 'write' && ac.abort() })
    await expect(job).rejects.toBeInstanceOf(CancelledError)
    expect(readFileSync(join(out, reviewFiles.summary), 'utf8')).toBe(before)
    await mkdir(join(dir, 'empty'))
    await writeFile(join(dir, 'empty', 'notes.txt'), 'x')
    await expect(reviewSamples(join(dir, 'empty'))).rejects.toThrow(/empty holds no images/)
    await expect(reviewSamples(join(dir, 'nowhere'))).rejects.toThrow(/nowhere is not a folder; choose the folder/)
  })
})
