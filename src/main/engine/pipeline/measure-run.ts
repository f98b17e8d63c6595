// Job: times the pieces of a training run at its settings on this machine (real code paths, random training data).
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadBackbone, type BackboneContext } from '../backbone/load-backbone'
import { extractFeatures } from '../features/extract-features'
import { FeatureExtractor } from '../features/feature-extractor'
import { loadImage } from '../image/preprocess'
import { trainingTiling } from '../image/tiled-photos'
import { preprocessOf } from '../pbas/config-helpers'
import { throwIfCancelled, type JobOptions } from '../util/job'
import { mulberry32 } from '../util/random'
import { writeReviewPictures } from '../review/review-pictures'
import { ENGINE_VERSION } from '../version'
import { MODEL_FORMAT_VERSION } from '../model/model-file'
import type { RunCostMeasure } from '../../../shared/pbas/estimate'
import type { PbasConfig } from '../pbas/config'
import { createStepper } from './train'
import { PbasModel } from './predict'
import { ScoringHead } from '../pbas/scoring-head'

/** What to measure: a run's resolved settings and a few of its own good images. */
export interface MeasureRunInput {
  config: PbasConfig
  /** two or three good training images of the run's data set */
  samples: string[]
  backbone: BackboneContext
  gpu?: boolean
}

export type { MeasureProgress } from '../../../shared/models/progress'
import type { MeasureProgress } from '../../../shared/models/progress'

const seconds = async (f: () => Promise<unknown>): Promise<number> => {
  const t = performance.now()
  await f()
  return (performance.now() - t) / 1000
}

/**
 * Each piece runs once untimed first (weights, graphs and caches warm up, as they do in the first batch of
 * a real run), then timed. Steps use random features of the run's size: a step costs the same whatever
 * the values. Resident memory is sampled around the pieces to size the run's working memory.
 */
export async function measureRunCost(input: MeasureRunInput, opts: JobOptions<MeasureProgress> = {}): Promise<RunCostMeasure> {
  const cfg = input.config
  if (!input.samples.length) throw new Error('measuring a run needs at least one good training image')
  const samples = input.samples.slice(0, 3)
  const total = 5
  const stage = (done: number, message: string) => {
    throwIfCancelled(opts.signal)
    opts.onProgress?.({ kind: 'stage', stage: 'measure', message, done, total })
  }
  const rss0 = process.memoryUsage().rss
  let peak = rss0
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss))
  stage(0, 'loading the backbone')
  let backbone: Awaited<ReturnType<typeof loadBackbone>> | null = null
  const backboneLoadSeconds = await seconds(async () => (backbone = await loadBackbone(cfg.backbone, input.backbone)))
  const bb = backbone!
  const tmp = await mkdtemp(join(tmpdir(), 'pbas-measure-'))
  let model: PbasModel | null = null
  try {
    const extractor = new FeatureExtractor(bb, { taps: cfg.taps ?? undefined, embed: { patchSize: cfg.patchSize, pretrainDim: cfg.pretrainDim, targetDim: cfg.targetDim } })
    const preprocess = preprocessOf(cfg)
    // Tiled photos are several inputs each: their patches (the step's and the centre's rows) grow with the tiles.
    const tiling = await trainingTiling(samples, preprocess)
    stage(1, 'timing feature extraction')
    const warm = await extractFeatures({ paths: samples.slice(0, 1), extractor, preprocess, batchSize: cfg.batchSize })
    const featureSecondsPerImage = (await seconds(() => extractFeatures({ paths: samples, extractor, preprocess, batchSize: cfg.batchSize }))) / samples.length
    const loadSecondsPerImage = (await seconds(() => Promise.all(samples.map((p) => loadImage(p, preprocess))))) / samples.length
    sample()
    const P = (tiling?.tiles ?? 1) * warm.grid * warm.grid
    const D = cfg.targetDim
    const rows = cfg.batchSize * P
    stage(2, `timing a training step (${cfg.batchSize} images x ${P} patches x ${D})`)
    const rand = mulberry32(cfg.seed + 1)
    const x = Float32Array.from({ length: rows * D }, () => rand() * 2)
    const centre = Float32Array.from({ length: P * D }, () => rand() * 2)
    const stepper = await createStepper(cfg, P, input.gpu ?? false)
    const trainingRuntime = stepper.runtime
    let stepSeconds: number
    let projectSeconds: number
    let params: Awaited<ReturnType<typeof stepper.exportParams>>
    let checkpointBytes = 0
    try {
      stepper.setCentre(centre)
      await stepper.project(x, rows)
      projectSeconds = await seconds(() => stepper.project(x, rows))
      await stepper.step(x, rows, 1)
      sample()
      const times = [await seconds(() => stepper.step(x, rows, 2)), await seconds(() => stepper.step(x, rows, 3))]
      stepSeconds = times.reduce((a, b) => a + b, 0) / times.length
      sample()
      params = await stepper.exportParams()
      const states = await stepper.optimizerStates()
      for (const s of [states.projector, states.discriminator]) for (const a of [...s.m, ...s.v]) checkpointBytes += a.length * 4
    } finally {
      stepper.dispose()
    }
    const paramBytes = Object.values(params).reduce((a, p) => a + p.data.length * 4, 0) + P * D * 4
    checkpointBytes += paramBytes
    stage(3, 'timing the scoring head and a review')
    const arrays = { ...params, centre: { shape: [P, D], data: centre } }
    const head = new ScoringHead(arrays, D, cfg.scoring, cfg.centreInit === 'abl-euclidean' ? 'euclidean' : 'cosine')
    let headSecondsPerImage: number
    try {
      const one = warm.features[0]
      await head.score(one)
      headSecondsPerImage = await seconds(() => head.score(one))
    } finally {
      head.dispose()
    }
    model = PbasModel.fromParts({
      formatVersion: MODEL_FORMAT_VERSION, engineVersion: ENGINE_VERSION, createdAt: new Date().toISOString(), config: cfg,
      backbone: { id: bb.id, spec: cfg.backbone, weightsChecksum: bb.weightsChecksum, taps: [...extractor.taps] },
      grid: warm.grid, tiling: tiling ?? undefined, dim: D, selection: { rule: 'measurement', epoch: 0 },
      thresholds: { default: { mode: 'fpr', value: 1, achieved: 0 }, band: { review: 0.5, fail: 1 }, source: 'measurement' },
      history: [], centreDistances: [], dataset: { root: '', fingerprint: '', trainImages: 0, validationImages: 0 },
      backend: 'measurement', runtime: { features: bb.runtime, training: '' }, trainingSeconds: 0,
    }, bb, arrays)
    backbone = null // the model owns it now
    await model.predict(samples.slice(0, 1))
    const predictSecondsPerImage = (await seconds(() => model!.predict(samples))) / samples.length
    sample()
    stage(4, 'timing the review files')
    const [pred] = await model.predict(samples.slice(0, 1))
    for (const d of ['images', 'maps', 'thumbs']) await mkdir(join(tmp, d), { recursive: true })
    const writeSecondsPerImage = await seconds(() => writeReviewPictures(tmp, 0, pred, { lo: 0, hi: 1 }))
    let reviewBytesPerImage = 0
    for (const d of ['images', 'maps', 'thumbs']) for (const f of await readdir(join(tmp, d))) reviewBytesPerImage += (await stat(join(tmp, d, f))).size
    stage(5, 'done')
    return {
      backboneLoadSeconds, featureSecondsPerImage, stepSeconds, projectSeconds, headSecondsPerImage, predictSecondsPerImage, writeSecondsPerImage, loadSecondsPerImage,
      reviewBytesPerImage, patches: P, dim: D, modelBytes: paramBytes, checkpointBytes, workingBytes: Math.max(0, peak - rss0),
      runtime: { features: bb.runtime, training: trainingRuntime },
      measuredAt: new Date().toISOString(),
    }
  } finally {
    model?.dispose()
    ;(backbone as { dispose(): void } | null)?.dispose()
    await rm(tmp, { recursive: true, force: true })
  }
}
