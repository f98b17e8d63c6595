// Trains a PBAS model on chosen good images: features once, the training loop, calibrated thresholds, the model folder.
import { rm } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import type { Backbone } from '../backbone/backbone'
import { extractFeatures } from '../features/extract-features'
import { DiskFeatureCache } from '../features/feature-cache'
import { featureCacheMessage } from '../features/cache-message'
import { StreamedFeatures } from '../features/streamed-features'
import { KeptPatches } from '../features/kept-patches'
import { RegionMasks, trainingCells } from '../image/region-cells'
import type { InspectionRegion } from '../../../shared/image/region'
import { loadImage, networkInput, type PreparedImage } from '../image/preprocess'
import { trainingTiling } from '../image/tiled-photos'
import { ImageReadError } from '../image/open-image'
import { datasetFingerprint } from '../model/fingerprint'
import { MODEL_FORMAT_VERSION, saveModel, type ModelMeta } from '../model/model-file'
import { checkpointDir } from '../model/paths'
import type { GoodPool } from '../model/good-pool'
import { pixelDescriptor } from '../review/nearest-good'
import { calibrateThresholds, trainingImageThresholds } from '../calibration/calibrate'
import { throwIfCancelled, type JobOptions } from '../util/job'
import type { NamedArray } from '../util/tensor-bundle'
import { ENGINE_VERSION } from '../version'
import type { PbasConfig } from '../pbas/config'
import { extractorOf, preprocessOf } from '../pbas/config-helpers'
import { imageScore } from '../pbas/image-score'
import { loadOrt } from '../onnx/ort'
import { computeDevice } from '../backend/select-backend'
import { trainPbas, type EpochModel } from './train'
import { heldOutScores, heldOutSummary } from './held-out-summary'
import { InputError } from '../util/errors'

/** Fewer readable training images than this and a run stops (PBAS learns nothing useful from so few). */
export const MIN_TRAIN_IMAGES = 4
import type { TrainRunProgress } from '../../../shared/models/progress'

/** What to train on and where to put the result. The backbone stays the caller's. */
export interface TrainModelJob {
  /** the data set the images come from (the fingerprint names paths relative to its root) */
  dataset: { root: string; category?: string }
  /** good images to train on */
  train: readonly string[]
  /** good images held out: calibration, and epoch selection with a validation share */
  heldOut: readonly string[]
  /** how many of the good images reviewers added (for the progress message) */
  added?: number
  out: string
  config: PbasConfig
  backbone: Backbone
  backendName: string
  /** a GPU tfjs backend is active */
  gpu?: boolean
  /** where features are cached on disk and reused by key (default `<out>.features`, removed after success) */
  featureCacheDir?: string
  /** the region to inspect and the areas to ignore: training never sees an ignored patch */
  region?: InspectionRegion
  /** sees the model after every epoch (benchmarks: accuracy per epoch); its time counts as training time */
  observeEpoch?: (epoch: number, model: EpochModel) => Promise<void>
}

/** A saved model and its parts, so the caller can score with it without reading it back. */
export interface TrainedModel {
  meta: ModelMeta
  arrays: Record<string, NamedArray>
  pool: GoodPool
}


/** Trains and saves a model. Checkpoints live in `<out>.checkpoint` until the model is saved. */
export async function trainModel(job: TrainModelJob, opts: JobOptions<TrainRunProgress> = {}): Promise<TrainedModel> {
  // Features stay on disk and are streamed per batch or image, so memory does not grow with the data set
  // (the OS page cache keeps them fast).
  const disk = new DiskFeatureCache(job.featureCacheDir ?? `${job.out}.features`)
  try {
    return await trainWithCache(job, disk, opts)
  } catch (err) {
    // A refused run (too few readable images...) leaves no cache folder of its own behind; a cancelled or
    // killed one keeps it, so the same command resumes without extracting again.
    if (err instanceof InputError && !job.featureCacheDir) await disk.remove()
    throw err
  }
}

async function trainWithCache(job: TrainModelJob, disk: DiskFeatureCache, opts: JobOptions<TrainRunProgress>): Promise<TrainedModel> {
  const cfg = job.config
  const { backbone } = job
  const extractor = extractorOf(backbone, cfg)
  const preprocess = preprocessOf(cfg)
  const listed = job.train.length + job.heldOut.length
  opts.onProgress?.({
    kind: 'stage', stage: 'features',
    message: `extracting features of ${listed} good images${job.added ? ` (${job.added} added by reviewers)` : ''}: ${job.train.length} to train on, ${job.heldOut.length} held out for calibration; ${backbone.id} on ${backbone.runtime} (once; cached for every epoch)`,
  })
  // The nearest-good pool comes from the same decoded images as the features: no image is read twice.
  const descriptors = new Map<string, Float32Array>()
  const onImage = (img: PreparedImage) => void descriptors.set(img.path, pixelDescriptor(img))
  // With a region, every image reads as its kept patches only: steps, centre and calibration alike. Checked before
  // any feature is extracted, so a region that does not fit the photos costs no time.
  // With tiles every photo is the same tiles, so the photo size is checked (headers only) before any feature.
  const tiling = await trainingTiling([...job.train, ...job.heldOut], preprocess)
  const kept = job.region ? await trainingCells(new RegionMasks(job.region, preprocess, extractor.gridSize(cfg.imageSize)), [...job.train, ...job.heldOut]) : null
  // One unreadable photo must not sink a training run: it is left out, listed, and the run goes on while enough remain.
  const extract = (paths: readonly string[], progress: boolean) =>
    extractFeatures({ paths, extractor, preprocess, cache: disk, batchSize: Math.max(1, Math.floor(cfg.batchSize / (tiling?.tiles ?? 1))), retain: false, onImage, skipUnreadable: true }, { signal: opts.signal, onProgress: progress ? opts.onProgress : undefined })
  const feats = await extract(job.train, true)
  const held = await extract(job.heldOut, false)
  const skipped = [...feats.skipped, ...held.skipped]
  if (skipped.length) opts.onProgress?.({ kind: 'warning', message: `${skipped.length} good image(s) could not be read and are left out, e.g. ${skipped[0].message}` })
  if (feats.paths.length < MIN_TRAIN_IMAGES)
    throw new InputError(`only ${feats.paths.length} of the ${job.train.length} training images could be read (at least ${MIN_TRAIN_IMAGES} are needed); fix or replace these: ${skipped.slice(0, 5).map((x) => x.path).join(', ')}${skipped.length > 5 ? ` and ${skipped.length - 5} more` : ''}`)
  const trainPaths = feats.paths
  const heldPaths = held.paths
  const inputs = tiling?.tiles ?? 1
  const per = inputs * feats.grid * feats.grid * feats.dim
  const streamed = (paths: readonly string[], keys: readonly string[]) =>
    new StreamedFeatures(disk, keys, per, async (i) => extractor.extractImages([networkInput(await loadImage(paths[i], preprocess))], preprocess.crop), (i, file, found) =>
      opts.onProgress?.({ kind: 'stage', stage: 'train', message: `feature cache entry ${file} was ${found === 'corrupt' ? 'damaged (checksum)' : 'missing'}; re-extracted from ${paths[i]}` }),
    )
  // A tiled photo's patches are its tiles' grids one after another: each tile position has its own centre rows.
  const Pall = inputs * feats.grid * feats.grid
  const keep = (s: StreamedFeatures) => (kept ? new KeptPatches(s, kept, Pall, feats.dim) : s)
  const train = keep(streamed(trainPaths, feats.keys))
  const heldFeatures = keep(streamed(heldPaths, held.keys))
  opts.onProgress?.({ kind: 'stage', stage: 'features', message: featureCacheMessage(disk.dir, trainPaths.length + heldPaths.length, per, feats.cacheHits + held.cacheHits, !job.featureCacheDir) })
  const P = kept ? kept.length : Pall
  if (tiling) opts.onProgress?.({ kind: 'stage', stage: 'train', message: `each ${tiling.photoWidth} x ${tiling.photoHeight} photo is ${tiling.tiles} tiles of ${tiling.side} px, each seen at ${cfg.imageSize} px: ${Pall} patches per photo` })
  if (kept) opts.onProgress?.({ kind: 'stage', stage: 'train', message: `the region to inspect keeps ${kept.length} of the ${Pall} patches of each photo; the rest are never trained on or scored` })
  const until = cfg.stopRule === 'converged' && cfg.minEpochs < cfg.epochs ? `until the held-out good images' scores settle (at least ${cfg.minEpochs}, at most ${cfg.epochs} epochs)` : `for ${cfg.epochs} epochs`
  const share = cfg.patchShare < 1 ? `, ${Math.round(cfg.patchShare * 100)} % of each image's patches per step` : ''
  opts.onProgress?.({ kind: 'stage', stage: 'train', message: `training PBAS ${until} on ${trainPaths.length} images (${P} patches x ${cfg.targetDim}${share}); tfjs backend ${job.backendName}${job.gpu ? ' (GPU)' : ''}, onnxruntime ${loadOrt() && !job.gpu ? 'on' : 'off'}` })
  const ckpt = checkpointDir(job.out)
  const validation = cfg.validationShare > 0 ? heldFeatures : undefined
  // The fingerprint ties checkpoints to these exact images: a resume on other data is refused.
  const good = [...trainPaths, ...heldPaths]
  const fingerprint = await datasetFingerprint(job.dataset.root, good)
  // A checkpoint of another region trained on other patches: it must not be resumed.
  const runKey = kept ? `${fingerprint}:region:${createHash('sha256').update(JSON.stringify(job.region)).digest('hex').slice(0, 16)}` : fingerprint
  // The converged rule watches the images the thresholds come from: held out, or (none held out) the training images.
  const watched = heldPaths.length ? heldFeatures : train
  // The last epoch's scores of the watched images: when that epoch is the model, calibration uses them as they are.
  const last: { scored?: { epoch: number; scores: Float32Array[] } } = {}
  const afterEpoch =
    cfg.stopRule === 'converged' || job.observeEpoch
      ? async (epoch: number, model: EpochModel) => {
          await job.observeEpoch?.(epoch, model)
          if (cfg.stopRule !== 'converged') return null
          last.scored = { epoch, scores: await heldOutScores(model, watched, cfg, opts.signal) }
          return heldOutSummary(last.scored.scores)
        }
      : undefined
  const result = await trainPbas({ train, validation, patches: P, config: cfg, checkpointDir: ckpt, fingerprint: runKey, gpu: job.gpu, afterEpoch }, opts)
  if (result.stop.rule === 'converged') opts.onProgress?.({ kind: 'stage', stage: 'train', message: result.stop.message })
  opts.onProgress?.({ kind: 'stage', stage: 'calibrate', message: heldPaths.length ? `calibrating thresholds on ${heldPaths.length} held-out good images` : 'setting thresholds from training images (none held out)' })
  const arrays = { ...result.params, centre: result.centre }
  const basisNames = heldPaths.length ? heldPaths : trainPaths
  const basisScores = last.scored?.epoch === result.selectedEpoch ? last.scored.scores : await heldOutScores(result, watched, cfg, opts.signal)
  const scores = Float32Array.from(basisScores, (s, i) => imageScore(s, basisNames[i]))
  const patchScores: number[] = []
  for (const s of basisScores) for (let k = 0; k < s.length; k += 4) patchScores.push(s[k])
  const heldOutSource = `${heldPaths.length} held-out good images (never trained on)`
  const thresholds = heldPaths.length ? calibrateThresholds(scores, cfg, heldOutSource) : trainingImageThresholds(scores, cfg)
  // Heat maps of every later evaluation share this range: a typical good patch is dark, the fail threshold full colour.
  patchScores.sort((a, b) => a - b)
  const typical = patchScores[Math.floor(patchScores.length / 2)]
  const mapRange = { lo: typical, hi: Math.max(thresholds.band.fail, typical + 1e-6) }
  const createdAt = new Date().toISOString()
  const meta: ModelMeta = {
    formatVersion: MODEL_FORMAT_VERSION,
    engineVersion: ENGINE_VERSION,
    createdAt,
    config: cfg,
    backbone: { id: backbone.id, spec: cfg.backbone, weightsChecksum: backbone.weightsChecksum, taps: [...extractor.taps] },
    grid: feats.grid,
    region: job.region,
    keptPatches: kept ? kept.length : undefined,
    tiling: tiling ?? undefined,
    dim: cfg.targetDim,
    selection: { rule: result.selectionRule, epoch: result.selectedEpoch },
    stop: result.stop,
    thresholds: { ...thresholds, mapRange },
    calibrations: thresholds.calibration
      ? { active: 1, revisions: [{ id: 1, createdAt, by: 'training', calibration: thresholds.calibration, images: heldPaths.map((path, i) => ({ path, score: scores[i] })) }] }
      : undefined,
    history: result.history,
    centreDistances: result.centreDistances,
    dataset: {
      root: job.dataset.root, category: job.dataset.category, fingerprint,
      trainImages: trainPaths.length, validationImages: validation?.length ?? 0, images: { train: trainPaths, heldOut: heldPaths }, skipped: skipped.length ? skipped : undefined,
    },
    backend: job.backendName,
    runtime: { features: backbone.runtime, training: result.runtime },
    compute: computeDevice(),
    trainingSeconds: result.seconds + feats.seconds + held.seconds,
  }
  // Images whose features came from the cache (a resumed run) were not decoded above: decode them now.
  for (const p of good) {
    if (descriptors.has(p)) continue
    throwIfCancelled(opts.signal)
    const img = await loadImage(p, preprocess).catch((err: unknown) => (err instanceof ImageReadError ? null : Promise.reject(err)))
    if (img) onImage(img)
  }
  const poolPaths = good.filter((p) => descriptors.has(p))
  const pool: GoodPool = { paths: poolPaths, descriptors: poolPaths.map((p) => descriptors.get(p)!) }
  opts.onProgress?.({ kind: 'stage', stage: 'save', message: `writing ${job.out}` })
  await saveModel(job.out, meta, arrays, pool)
  await rm(ckpt, { recursive: true, force: true })
  if (!job.featureCacheDir) await disk.remove()
  return { meta, arrays, pool }
}
