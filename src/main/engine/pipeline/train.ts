// The PBAS training job: centre initialisation, epochs of steps, validation, checkpoints and resume.
import { throwIfCancelled, type JobOptions } from '../util/job'
import { mulberry32 } from '../util/random'
import type { NamedArray } from '../util/tensor-bundle'
import type { PbasConfig } from '../pbas/config'
import { CentreBuilder, type CentreResult } from '../pbas/centre'
import type { Stepper } from '../pbas/stepper'
import { readCheckpoint, writeCheckpoint } from '../model/checkpoint'
import type { EpochRecord, StepStats, TrainProgress } from '../../../shared/models/progress'
import { InputError } from '../util/errors'
import { canonicalJson } from '../model/integrity'
import { createTfjsStepper } from '../pbas/tfjs-stepper'
import { createOrtStepper } from '../pbas/ort-stepper'
import { computeOrt } from '../backend/select-backend'
import { asSource, BatchReader, type FeatureSource } from '../features/feature-source'
import { budgetReason, convergedAt, expectedEpochs, type HeldOutSummary, type StopReason } from '../../../shared/pbas/stop-rule'
import { PatchSampler } from './patch-sampler'

export type { EpochRecord, TrainProgress } from '../../../shared/models/progress'

/** Inputs: cached features per image ([P * D] each), and where to keep checkpoints. */
export interface TrainInput {
  /** per-image features in memory, or a lazy source (e.g. a disk cache) so they need not all fit in RAM */
  train: Float32Array[] | FeatureSource
  /** held-out good images for model selection (streamed like `train` when a source) */
  validation?: Float32Array[] | FeatureSource
  patches: number
  config: PbasConfig
  checkpointDir?: string
  /** fingerprint of the training images, recorded in checkpoints (a resume on other images is refused) */
  fingerprint?: string
  /** a GPU tfjs backend is active (then tfjs does the training, not onnxruntime) */
  gpu?: boolean
  /**
   * After each epoch, with the model as it stands: the held-out good images' score figures, which the converged
   * stop rule reads from the history (stopRule 'converged'; also called, for observers, with the rule off).
   */
  afterEpoch?: (epoch: number, model: EpochModel) => Promise<HeldOutSummary | null>
}

/** The model after an epoch: its parameters (a copy) and the centre. */
export interface EpochModel {
  params: Record<string, NamedArray>
  centre: NamedArray
}

/** A trained model's learnt state and its story. */
export interface TrainResult {
  params: Record<string, NamedArray>
  centre: NamedArray
  centreDistances: number[]
  history: EpochRecord[]
  selectedEpoch: number
  selectionRule: string
  /** why training ended: the budget, or the converged rule (and when) */
  stop: StopReason
  steps: number
  seconds: number
  /** which runtime trained ('onnxruntime' or 'tfjs') */
  runtime: string
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

export type { FeatureSource }

/**
 * onnxruntime (all cores, ~4x tfjs-wasm on CPU) unless a GPU backend is active or PBAS_ORT=0;
 * otherwise tfjs with automatic differentiation on whatever backend was chosen.
 */
export async function createStepper(cfg: PbasConfig, P: number, gpu: boolean): Promise<Stepper> {
  const ort = gpu ? null : computeOrt()
  return ort ? createOrtStepper(ort, cfg, P) : createTfjsStepper(cfg, P)
}

function meanStats(list: StepStats[]): StepStats {
  const out = { ...list[0] }
  for (const k of Object.keys(out) as (keyof StepStats)[]) out[k] = list.reduce((a, s) => a + s[k], 0) / list.length
  return out
}

/** The centre from per-batch means of the initial projector's outputs over the shuffled loader (no gradients), one batch at a time. */
async function centreFromBatches(input: TrainInput, stepper: Stepper, reader: BatchReader, opts: JobOptions<TrainProgress>): Promise<CentreResult> {
  const { patches: P, config: cfg } = input
  const train = asSource(input.train)
  const D = cfg.targetDim
  const order = shuffledOrder(train.length, cfg.seed, -1)
  const total = Math.ceil(order.length / cfg.batchSize)
  const builder = new CentreBuilder(P, D, cfg.centreInit, cfg.beta, undefined, stepper.nearest?.bind(stepper))
  for (let b = 0; b < order.length; b += cfg.batchSize) {
    throwIfCancelled(opts.signal)
    const idx = order.slice(b, b + cfg.batchSize)
    // P_theta is linear (u = x W + b), so the batch mean of the projections is the projection of the batch mean:
    // P rows projected instead of batch x P (the centre took as long as 1.5 of Quick's epochs before).
    const x = await reader.read(idx)
    const mean = new Float32Array(P * D)
    for (let i = 0; i < idx.length; i++) for (let k = 0; k < P * D; k++) mean[k] += x[i * P * D + k]
    for (let k = 0; k < P * D; k++) mean[k] /= idx.length
    const m = await stepper.project(mean, P)
    const distance = await builder.add(m, idx.length)
    opts.onProgress?.({ kind: 'centre', done: b / cfg.batchSize + 1, total, distance })
  }
  return await builder.finish()
}

/** Trains PBAS on cached features. Cancellable; checkpoints every `checkpointEvery` epochs; resumes. */
export async function trainPbas(input: TrainInput, opts: JobOptions<TrainProgress> = {}): Promise<TrainResult> {
  const { patches: P, config: cfg } = input
  const train = asSource(input.train)
  const D = cfg.targetDim
  if (train.length === 0) throw new Error('no training features')
  const started = Date.now()
  const stepper = await createStepper(cfg, P, input.gpu ?? false)
  let startEpoch = 1
  let history: EpochRecord[] = []
  let centreArr: Float32Array
  let centreDistances: number[]
  let best: { epoch: number; loss: number; params?: Record<string, NamedArray> } | null = null
  const reader = new BatchReader(train, P * D, cfg.batchSize)
  let priorSeconds = 0
  try {
    const ck = input.checkpointDir ? await readCheckpoint(input.checkpointDir) : null
    if (ck) {
      const restart = 'to discard it and train from the start, run again with --restart (in the app: Restart)'
      if (canonicalJson(ck.config) !== canonicalJson(cfg)) throw new InputError(`the checkpoint in ${input.checkpointDir} was written with other settings; use the same settings to resume, or ${restart}`)
      if (input.fingerprint !== undefined && ck.fingerprint !== input.fingerprint) throw new InputError(`the checkpoint in ${input.checkpointDir} was written for other training images or another region to inspect (fingerprint ${String(ck.fingerprint).slice(0, 12)}, now ${input.fingerprint.slice(0, 12)}); ${restart}`)
      stepper.loadParams(ck.params)
      stepper.loadOptimizerStates(ck.optimizer)
      centreArr = ck.centre.data
      centreDistances = ck.centreDistances
      history = ck.history
      startEpoch = ck.epoch + 1
      best = ck.best
      priorSeconds = ck.seconds
      opts.onProgress?.({ kind: 'resumed', epoch: ck.epoch, epochs: cfg.epochs, at: ck.createdAt ?? null })
    } else {
      const res = await centreFromBatches(input, stepper, reader, opts)
      centreArr = res.centre
      centreDistances = res.distances
    }
    stepper.setCentre(centreArr)
    const steps = Math.ceil(train.length / cfg.batchSize)
    let stepCount = (startEpoch - 1) * steps
    const stepTimes: number[] = []
    // With every patch the batch goes to the step as read (the paper); with a share, a seeded subset per image.
    const sampler = cfg.patchShare < 1 ? new PatchSampler(P, D, cfg.patchShare, cfg.batchSize, cfg.seed) : null
    const rowsPer = sampler ? sampler.keep : P
    let stop: StopReason | null = convergedAt(history, cfg)
    let lastEpoch = startEpoch - 1
    for (let epoch = startEpoch; epoch <= cfg.epochs && !stop; epoch++) {
      const t0 = Date.now()
      const order = shuffledOrder(train.length, cfg.seed, epoch)
      const batch = (s: number) => order.slice(s * cfg.batchSize, (s + 1) * cfg.batchSize)
      // Asks for a batch ahead of its step: its reads run on the thread pool while the previous step computes.
      // (Awaited next turn; the catch only keeps a cancelled run from reporting an unhandled rejection.)
      const prefetch = (s: number) => {
        const p = reader.read(batch(s))
        p.catch(() => {})
        return p
      }
      const stats: StepStats[] = []
      let next = prefetch(0)
      for (let s = 0; s < steps; s++) {
        throwIfCancelled(opts.signal)
        const ts = Date.now()
        const idx = batch(s)
        const x = await next
        if (s + 1 < steps) next = prefetch(s + 1)
        const stepSeed = cfg.seed * 7919 + ++stepCount
        const st = await stepper.step(sampler ? sampler.sample(x, idx.length, stepCount) : x, idx.length * rowsPer, stepSeed)
        stats.push(st)
        stepTimes.push(Date.now() - ts)
        const perStep = stepTimes.slice(-20).reduce((a, b) => a + b, 0) / Math.min(20, stepTimes.length) / 1000
        const planned = expectedEpochs(cfg, epoch - 1)
        opts.onProgress?.({ kind: 'step', epoch, epochs: cfg.epochs, step: s + 1, steps, stats: st, etaSeconds: perStep * (Math.max(0, planned - epoch) * steps + steps - s - 1) })
        await new Promise((r) => setImmediate(r)) // let cancellation and progress consumers run
      }
      const validation = input.validation?.length ? await stepper.validationLoss(input.validation) : null
      if (validation !== null && (!best || validation < best.loss)) best = { epoch, loss: validation, params: await stepper.exportParams() }
      const rec: EpochRecord = { epoch, means: meanStats(stats), validation, seconds: (Date.now() - t0) / 1000 }
      const heldOut = input.afterEpoch ? await input.afterEpoch(epoch, { params: await stepper.exportParams(), centre: { shape: [P, D], data: centreArr } }) : null
      if (heldOut) rec.heldOut = heldOut
      history.push(rec)
      lastEpoch = epoch
      stop = convergedAt(history, cfg)
      const perEpoch = history.slice(-3).reduce((a, h) => a + h.seconds, 0) / Math.min(3, history.length)
      const left = stop ? 0 : expectedEpochs(cfg, epoch) - epoch
      opts.onProgress?.({ kind: 'epoch', epoch, epochs: cfg.epochs, means: rec.means, validation, seconds: rec.seconds, etaSeconds: perEpoch * left, ...(stop ? { stopped: stop.message } : {}) })
      if (input.checkpointDir && !stop && (epoch % cfg.checkpointEvery === 0 || epoch === cfg.epochs)) {
        const path = await writeCheckpoint(input.checkpointDir, {
          epoch, config: cfg, fingerprint: input.fingerprint ?? '', seconds: priorSeconds + (Date.now() - started) / 1000, history, centreDistances, centre: { shape: [P, D], data: centreArr },
          params: await stepper.exportParams(), optimizer: await stepper.optimizerStates(), best,
        })
        opts.onProgress?.({ kind: 'checkpoint', epoch, path })
      }
    }
    const useBest = best?.params && cfg.validationShare > 0
    const finalEpoch = Math.max(lastEpoch, history.at(-1)?.epoch ?? 0)
    return {
      params: useBest ? best!.params! : await stepper.exportParams(),
      centre: { shape: [P, D], data: centreArr },
      centreDistances,
      history,
      selectedEpoch: useBest ? best!.epoch : finalEpoch,
      selectionRule: useBest
        ? `epoch with the lowest validation L_c + L_n on ${input.validation!.length} held-out good images (no test labels used)`
        : 'final epoch (no test labels used)',
      stop: stop ?? budgetReason(cfg, finalEpoch),
      steps: stepCount,
      seconds: priorSeconds + (Date.now() - started) / 1000,
      runtime: stepper.runtime,
    }
  } finally {
    stepper.dispose()
  }
}
