import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { runTrainingPipeline, type TrainPipelineInput } from './train-pipeline'
import { readModelMeta } from '../model/model-file'
import type { TrainRunProgress } from '../../../shared/models/progress'
import type { JobOptions } from '../util/job'
import { PbasModel } from './predict'
import { evaluateModel } from './evaluate-model'
import { CancelledError } from '../util/job'
import { tinyBackbone, tinyConfig, writeTinyProduct } from '../../../test-support/tiny-model'

let dir: string
const ctx = () => tinyBackbone(dir)
const config = tinyConfig
/** The training pipeline (data set in, model folder out), returning the saved model.json. */
async function trainModel(job: TrainPipelineInput, opts?: JobOptions<TrainRunProgress>) {
  await runTrainingPipeline(job, opts)
  return readModelMeta(job.out)
}

beforeAll(async () => {
  await initBackend()
  dir = await mkdtemp(join(tmpdir(), 'pbas-train-'))
  await writeTinyProduct(dir)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('train -> save -> load -> evaluate', () => {
  it('trains a model folder with history, thresholds and metadata, then evaluates it', async () => {
    const events: TrainRunProgress[] = []
    const before = tf.memory().numTensors
    const meta = await trainModel(
      { data: join(dir, 'product'), out: join(dir, 'm1'), config: config({ validationShare: 0.25 }), backbone: ctx(), backendName: 'wasm' },
      { onProgress: (e) => events.push(e) },
    )
    expect(tf.memory().numTensors).toBe(before)
    expect(meta.history).toHaveLength(4)
    expect(meta.dataset).toMatchObject({ trainImages: 9, validationImages: 3 })
    expect(meta.selection.rule).toContain('lowest validation L_c + L_n on 3 held-out good images')
    expect(meta.thresholds.band.fail).toBeGreaterThanOrEqual(meta.thresholds.band.review)
    expect(events.filter((e) => e.kind === 'step').length).toBe(4 * 3)
    expect(events.some((e) => e.kind === 'centre')).toBe(true)
    expect(existsSync(join(dir, 'm1.checkpoint'))).toBe(false)
    const model = await PbasModel.load(join(dir, 'm1'), ctx())
    const ev = await evaluateModel(model, join(dir, 'product'), undefined)
    model.dispose()
    // 20 inferences on the all-tfjs path (no onnxruntime) leave the tensor count where it was.
    process.env.PBAS_ORT = '0'
    try {
      const tfModel = await PbasModel.load(join(dir, 'm1'), ctx())
      expect(tfModel.backbone.runtime).toBe('tfjs')
      await tfModel.predict([join(dir, 'product/test/good/000.png')])
      const loaded = tf.memory().numTensors
      for (let i = 0; i < 20; i++) await tfModel.predict([join(dir, 'product/test/good/000.png')])
      expect(tf.memory().numTensors).toBe(loaded)
      tfModel.dispose()
    } finally {
      delete process.env.PBAS_ORT
    }
    expect(ev.images).toBe(10)
    for (const k of ['image_auroc', 'image_ap', 'pixel_auroc', 'pixel_ap', 'pixel_pro'] as const) {
      expect(ev[k]).not.toBeNull()
      expect(ev[k]!).toBeGreaterThanOrEqual(0)
      expect(ev[k]!).toBeLessThanOrEqual(1)
    }
    expect(tf.memory().numTensors).toBe(before)
  })

  it('is deterministic, and a cancelled run resumes from its checkpoint to the same weights', async () => {
    const job = (out: string) => ({ data: join(dir, 'product'), out: join(dir, out), config: config(), backbone: ctx(), backendName: 'wasm' })
    await trainModel(job('full'))
    const ac = new AbortController()
    await expect(
      trainModel(job('resumed'), { signal: ac.signal, onProgress: (e) => e.kind === 'checkpoint' && e.epoch === 2 && ac.abort() }),
    ).rejects.toThrow(CancelledError)
    expect(existsSync(join(dir, 'resumed.checkpoint/checkpoint.pbasw'))).toBe(true)
    const steps: number[] = []
    await trainModel(job('resumed'), { onProgress: (e) => e.kind === 'step' && steps.push(e.epoch) })
    expect(Math.min(...steps)).toBe(3) // epochs 1-2 came from the checkpoint
    const a = readFileSync(join(dir, 'full/weights.pbasw'))
    const b = readFileSync(join(dir, 'resumed/weights.pbasw'))
    expect(a.equals(b)).toBe(true)
    // Training from features kept on disk (read per batch) gives the same model as from memory.
    await trainModel({ ...job('disk'), featureCacheDir: join(dir, 'feature-cache') })
    expect(readFileSync(join(dir, 'disk/weights.pbasw')).equals(a)).toBe(true)
  })

  it('with the converged rule, stops when the held-out scores settle and records why; with it never met, trains step for step as without it', async () => {
    const job = (out: string, over: Record<string, unknown>) => ({ data: join(dir, 'product'), out: join(dir, out), config: config(over), backbone: ctx(), backendName: 'wasm' })
    const settled = await trainModel(job('settled', { stopRule: 'converged', minEpochs: 2, stopWindow: 1, stopTolerance: 100, epochs: 6 }))
    expect(settled.history).toHaveLength(2)
    expect(settled.stop).toMatchObject({ rule: 'converged', epoch: 2 })
    expect(settled.selection.epoch).toBe(2)
    expect(settled.history.every((h) => h.heldOut && Number.isFinite(h.heldOut.q99))).toBe(true)
    // Tolerance 0 is never met: the held-out scoring after each epoch must leave training exactly as it was.
    const never = await trainModel(job('never', { stopRule: 'converged', stopTolerance: 0 }))
    expect(never.stop).toMatchObject({ rule: 'budget', epoch: 4 })
    expect(readFileSync(join(dir, 'never/weights.pbasw')).equals(readFileSync(join(dir, 'full/weights.pbasw')))).toBe(true)
    const budget = await trainModel(job('budget', {}))
    expect(budget.stop).toEqual({ rule: 'budget', epoch: 4, message: 'ran the configured 4 epochs' })
    // The rule's run calibrates from its last epoch's held-out scores, the budget run scores the saved model
    // afresh: with the same weights, the same calibration scores and thresholds.
    expect(never.calibrations!.revisions[0].images).toEqual(budget.calibrations!.revisions[0].images)
    expect(never.thresholds).toEqual(budget.thresholds)
  })

  it('trains on a share of each image’s patches per step', async () => {
    const meta = await trainModel({ data: join(dir, 'product'), out: join(dir, 'share'), config: config({ patchShare: 0.25, epochs: 2 }), backbone: ctx(), backendName: 'wasm' })
    expect(meta.history).toHaveLength(2)
    expect(readFileSync(join(dir, 'share/weights.pbasw')).equals(readFileSync(join(dir, 'full/weights.pbasw')))).toBe(false)
    expect(Number.isFinite(meta.history[1].means.lossC)).toBe(true)
  })

  it('whole-model fused inference (E_phi folded into the head) scores like the step-by-step path', async () => {
    const paths = ['test/scratch/000.png', 'test/dent/001.png', 'test/good/000.png'].map((p) => join(dir, 'product', p))
    // This tiny model (D = 64) would not pick fusion on cost grounds; force it to compare the two paths.
    process.env.PBAS_FUSED = '1'
    const fused = await PbasModel.load(join(dir, 'full'), ctx())
    expect(await fused.inferencePath()).toBe('fused-onnx')
    const a = await fused.predict(paths)
    fused.dispose()
    process.env.PBAS_FUSED = '0'
    try {
      const plain = await PbasModel.load(join(dir, 'full'), ctx())
      expect(await plain.inferencePath()).toBe('steps')
      const b = await plain.predict(paths)
      plain.dispose()
      a.forEach((p, i) => {
        expect(p.score).toBeCloseTo(b[i].score, 4)
        let err = 0
        p.map.forEach((v, k) => (err = Math.max(err, Math.abs(v - b[i].map[k]))))
        expect(err).toBeLessThan(1e-4)
      })
    } finally {
      delete process.env.PBAS_FUSED
    }
  })

  it('trains the same way on tfjs (autodiff) when onnxruntime is switched off', async () => {
    process.env.PBAS_ORT = '0'
    try {
      const meta = await trainModel({ data: join(dir, 'product'), out: join(dir, 'tfjs'), backbone: ctx(), backendName: 'wasm', config: config({ epochs: 2 }) })
      expect(meta.runtime).toEqual({ features: 'tfjs', training: 'tfjs' })
      expect(meta.history[1].means.lossC).toBeLessThan(meta.history[0].means.lossC * 1.5)
    } finally {
      delete process.env.PBAS_ORT
    }
  })

  it('runs the ablations: average centre, Gaussian synthesis, ABL-only scoring', async () => {
    const meta = await trainModel({
      data: join(dir, 'product'), out: join(dir, 'ablation'), backbone: ctx(), backendName: 'wasm',
      config: config({ centreInit: 'average', synthesis: 'gaussian', scoring: 'abl-only', epochs: 2 }),
    })
    expect(meta.config).toMatchObject({ centreInit: 'average', synthesis: 'gaussian', scoring: 'abl-only' })
    const model = await PbasModel.load(join(dir, 'ablation'), ctx())
    const [p] = await model.predict([join(dir, 'product/test/scratch/000.png')])
    // ABL-only scores are distances to the centre, not probabilities.
    expect(p.score).toBeGreaterThan(0)
    model.dispose()
  })

  it('refuses to score with a backbone whose weights differ from the training ones', async () => {
    const { checkBackbone } = await import('../model/model-file')
    const meta = JSON.parse(readFileSync(join(dir, 'm1/model.json'), 'utf8'))
    expect(() => checkBackbone(meta, meta.backbone.id, 'f'.repeat(64))).toThrow(/trained with backbone resnet18 \(weights sha256 [0-9a-f]{12}\).*Use the same weights, or retrain/)
  })

  it('refuses a model from a newer format and a damaged weights file, naming the folder', async () => {
    const { writeFile } = await import('node:fs/promises')
    const meta = JSON.parse(readFileSync(join(dir, 'm1/model.json'), 'utf8'))
    await writeFile(join(dir, 'm1/model.json'), JSON.stringify({ ...meta, formatVersion: 99 }))
    await expect(PbasModel.load(join(dir, 'm1'), ctx())).rejects.toThrow(/written by a newer PBAS Inspect \(model format 99/)
    await writeFile(join(dir, 'm1/model.json'), JSON.stringify(meta))
    await writeFile(join(dir, 'm1/weights.pbasw'), readFileSync(join(dir, 'full/weights.pbasw')).subarray(0, 500))
    await expect(PbasModel.load(join(dir, 'm1'), ctx())).rejects.toThrow(/m1\/weights.pbasw.*truncated/)
    await expect(PbasModel.load(join(dir, 'nothing'), ctx())).rejects.toThrow(/not a PBAS Inspect model/)
  })
})
