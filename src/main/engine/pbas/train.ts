// The PBAS training job: centre initialisation, epochs of steps, validation, checkpoints and resume.
import * as tf from '@tensorflow/tfjs'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { throwIfCancelled, type JobOptions } from '../util/job'
import { mulberry32 } from '../demo/synthetic-product'
import { readBundle, writeBundle, type NamedArray } from '../util/tensor-bundle'
import type { PbasConfig } from './config'
import { initCentre } from './centre'
import { Adam } from './adam'
import { assignParams, discriminatorVars, disposeParams, exportParams, initParams, projectorVars, type PbasParams } from './params'
import { disposeCentre, prepareCentre } from './synthesis'
import { trainStep, type StepStats } from './train-step'
import { validationLoss } from './validate'

/** Progress of a training job: a tagged union of plain objects (safe to send over IPC). */
export type TrainProgress =
  | { kind: 'centre'; done: number; total: number; distance: number }
  | { kind: 'step'; epoch: number; epochs: number; step: number; steps: number; stats: StepStats; etaSeconds: number | null }
  | { kind: 'epoch'; epoch: number; epochs: number; means: StepStats; validation: number | null; seconds: number; etaSeconds: number | null }
  | { kind: 'checkpoint'; epoch: number; path: string }

/** One epoch's record in the training history. */
export interface EpochRecord {
  epoch: number
  means: StepStats
  validation: number | null
  seconds: number
}

/** Inputs: cached features per image ([P * D] each), and where to keep checkpoints. */
export interface TrainInput {
  train: Float32Array[]
  validation?: Float32Array[]
  patches: number
  config: PbasConfig
  checkpointDir?: string
}

/** A trained model's learnt state and its story. */
export interface TrainResult {
  params: Record<string, NamedArray>
  centre: NamedArray
  centreDistances: number[]
  history: EpochRecord[]
  selectedEpoch: number
  selectionRule: string
  steps: number
  seconds: number
}

interface CheckpointMeta {
  epoch: number
  history: EpochRecord[]
  centreDistances: number[]
  optProjStep: number
  optDiscStep: number
  best: { epoch: number; loss: number } | null
  configKey: string
}

/** Seeded Fisher-Yates order of 0..n-1 for an epoch (epoch -1 is the centre initialisation's loader). */
export function shuffledOrder(n: number, seed: number, epoch: number): number[] {
  const rand = mulberry32(seed * 100003 + epoch + 17)
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

function batchTensor(features: Float32Array[], idx: number[], P: number, D: number): tf.Tensor2D {
  const data = new Float32Array(idx.length * P * D)
  idx.forEach((k, i) => data.set(features[k], i * P * D))
  return tf.tensor2d(data, [idx.length * P, D])
}

function meanStats(list: StepStats[]): StepStats {
  const out = { ...list[0] }
  for (const k of Object.keys(out) as (keyof StepStats)[]) out[k] = list.reduce((a, s) => a + s[k], 0) / list.length
  return out
}

/** Projected per-batch means over the shuffled loader, with the initial projector (no gradients). */
function projectedBatchMeans(input: TrainInput, params: PbasParams, opts: JobOptions<TrainProgress>): { means: Float32Array[]; sizes: number[] } {
  const { train, patches: P, config: cfg } = input
  const D = cfg.targetDim
  const order = shuffledOrder(train.length, cfg.seed, -1)
  const means: Float32Array[] = []
  const sizes: number[] = []
  for (let b = 0; b < order.length; b += cfg.batchSize) {
    throwIfCancelled(opts.signal)
    const idx = order.slice(b, b + cfg.batchSize)
    const x = batchTensor(train, idx, P, D)
    const m = tf.tidy(() => tf.matMul(x, params.projW).add(params.projB).reshape([idx.length, P, D]).mean(0))
    means.push(m.dataSync() as Float32Array)
    tf.dispose([x, m])
    sizes.push(idx.length)
  }
  return { means, sizes }
}

/** Trains PBAS on cached features. Cancellable; checkpoints every `checkpointEvery` epochs; resumes. */
export async function trainPbas(input: TrainInput, opts: JobOptions<TrainProgress> = {}): Promise<TrainResult> {
  const { train, patches: P, config: cfg } = input
  const D = cfg.targetDim
  if (train.length === 0) throw new Error('no training features')
  if (train.some((f) => f.length !== P * D)) throw new Error(`every training feature block must hold ${P}x${D} values`)
  const started = Date.now()
  const params = initParams(D, cfg.discHidden, cfg.seed)
  const optProj = new Adam(projectorVars(params), { lr: cfg.lrProjector, weightDecay: cfg.weightDecayProjector, decoupled: false })
  const optDisc = new Adam(discriminatorVars(params), { lr: cfg.lrDiscriminator, weightDecay: cfg.weightDecayDiscriminator, decoupled: true })
  const configKey = JSON.stringify(cfg)
  const ckptPath = input.checkpointDir ? join(input.checkpointDir, 'checkpoint.pbasw') : null
  let startEpoch = 1
  let history: EpochRecord[] = []
  let centreArr: Float32Array
  let centreDistances: number[]
  let best: { epoch: number; loss: number; params?: Record<string, NamedArray> } | null = null
  try {
    if (ckptPath && existsSync(ckptPath)) {
      const ck = await readBundle<CheckpointMeta>(ckptPath)
      if (ck.meta.configKey !== configKey) throw new Error(`the checkpoint in ${input.checkpointDir} was written with another configuration; remove it or use the same settings`)
      assignParams(params, ck.arrays)
      optProj.load({ step: ck.meta.optProjStep, m: [0, 1].map((i) => ck.arrays[`optP.m${i}`].data), v: [0, 1].map((i) => ck.arrays[`optP.v${i}`].data) })
      optDisc.load({ step: ck.meta.optDiscStep, m: [0, 1, 2, 3, 4].map((i) => ck.arrays[`optD.m${i}`].data), v: [0, 1, 2, 3, 4].map((i) => ck.arrays[`optD.v${i}`].data) })
      centreArr = ck.arrays.centre.data
      centreDistances = ck.meta.centreDistances
      history = ck.meta.history
      startEpoch = ck.meta.epoch + 1
      if (ck.meta.best) best = { ...ck.meta.best, params: ck.arrays['best.projW'] ? Object.fromEntries(Object.entries(ck.arrays).filter(([k]) => k.startsWith('best.')).map(([k, v]) => [k.slice(5), v])) : undefined }
    } else {
      const { means, sizes } = projectedBatchMeans(input, params, opts)
      const res = initCentre(means, sizes, P, D, cfg.centreInit, cfg.beta)
      res.distances.forEach((distance, i) => opts.onProgress?.({ kind: 'centre', done: i + 1, total: means.length, distance }))
      centreArr = res.centre
      centreDistances = res.distances
    }
    const centreT = tf.tensor2d(centreArr, [P, D])
    const centre = prepareCentre(centreT)
    centreT.dispose()
    const ctx = { params, centre, optProjector: optProj, optDiscriminator: optDisc, config: cfg }
    const steps = Math.ceil(train.length / cfg.batchSize)
    let stepCount = (startEpoch - 1) * steps
    const stepTimes: number[] = []
    try {
      for (let epoch = startEpoch; epoch <= cfg.epochs; epoch++) {
        const t0 = Date.now()
        const order = shuffledOrder(train.length, cfg.seed, epoch)
        const stats: StepStats[] = []
        for (let s = 0; s < steps; s++) {
          throwIfCancelled(opts.signal)
          const ts = Date.now()
          const x = batchTensor(train, order.slice(s * cfg.batchSize, (s + 1) * cfg.batchSize), P, D)
          const st = trainStep(x, ctx, cfg.seed * 7919 + ++stepCount)
          x.dispose()
          stats.push(st)
          stepTimes.push(Date.now() - ts)
          const perStep = stepTimes.slice(-20).reduce((a, b) => a + b, 0) / Math.min(20, stepTimes.length) / 1000
          opts.onProgress?.({ kind: 'step', epoch, epochs: cfg.epochs, step: s + 1, steps, stats: st, etaSeconds: perStep * ((cfg.epochs - epoch) * steps + steps - s - 1) })
          await new Promise((r) => setImmediate(r)) // let cancellation and progress consumers run
        }
        const validation = input.validation?.length ? validationLoss(input.validation, P, ctx) : null
        if (validation !== null && (!best || validation < best.loss)) best = { epoch, loss: validation, params: exportParams(params) }
        const rec: EpochRecord = { epoch, means: meanStats(stats), validation, seconds: (Date.now() - t0) / 1000 }
        history.push(rec)
        const perEpoch = history.slice(-3).reduce((a, h) => a + h.seconds, 0) / Math.min(3, history.length)
        opts.onProgress?.({ kind: 'epoch', epoch, epochs: cfg.epochs, means: rec.means, validation, seconds: rec.seconds, etaSeconds: perEpoch * (cfg.epochs - epoch) })
        if (ckptPath && (epoch % cfg.checkpointEvery === 0 || epoch === cfg.epochs)) {
          await writeCheckpoint(ckptPath, { epoch, history, centreDistances, optProjStep: optProj.step, optDiscStep: optDisc.step, best: best && { epoch: best.epoch, loss: best.loss }, configKey }, params, optProj, optDisc, centreArr, P, D, best?.params)
          opts.onProgress?.({ kind: 'checkpoint', epoch, path: ckptPath })
        }
      }
    } finally {
      disposeCentre(centre)
    }
    const useBest = best?.params && cfg.validationShare > 0
    return {
      params: useBest ? best!.params! : exportParams(params),
      centre: { shape: [P, D], data: centreArr },
      centreDistances,
      history,
      selectedEpoch: useBest ? best!.epoch : cfg.epochs,
      selectionRule: useBest
        ? `epoch with the lowest validation L_c + L_n on ${input.validation!.length} held-out good images (no test labels used)`
        : 'final epoch (no test labels used)',
      steps: stepCount,
      seconds: (Date.now() - started) / 1000,
    }
  } finally {
    optProj.dispose()
    optDisc.dispose()
    disposeParams(params)
  }
}

async function writeCheckpoint(
  path: string, meta: CheckpointMeta, params: PbasParams, optP: Adam, optD: Adam,
  centre: Float32Array, P: number, D: number, bestParams?: Record<string, NamedArray>,
): Promise<void> {
  const arrays: Record<string, NamedArray> = { ...exportParams(params), centre: { shape: [P, D], data: centre } }
  const add = (prefix: string, opt: Adam) => {
    const s = opt.state()
    s.m.forEach((m, i) => (arrays[`${prefix}.m${i}`] = { shape: [m.length], data: m }))
    s.v.forEach((v, i) => (arrays[`${prefix}.v${i}`] = { shape: [v.length], data: v }))
  }
  add('optP', optP)
  add('optD', optD)
  if (bestParams) for (const [k, v] of Object.entries(bestParams)) arrays[`best.${k}`] = v
  await mkdir(dirname(path), { recursive: true })
  await writeBundle(path, meta, arrays)
}
