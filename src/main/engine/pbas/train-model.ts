// Job: data set folder -> cached features -> PBAS training -> thresholds -> model folder.
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { loadBackbone, type BackboneContext } from '../backbone/load-backbone'
import { goodTrainingSamples, readDataset } from '../data/read-dataset'
import { extractFeatures } from '../features/extract-features'
import { DiskFeatureCache } from '../features/feature-cache'
import { featureCacheMessage } from '../features/cache-message'
import { StreamedFeatures } from '../features/streamed-features'
import { loadImage } from '../image/preprocess'
import { fprThreshold, reviewBand } from '../metrics/thresholds'
import { datasetFingerprint } from '../model/fingerprint'
import { MODEL_FORMAT_VERSION, saveModel, type ModelMeta } from '../model/model-file'
import type { JobOptions, ProgressEvent } from '../util/job'
import { ENGINE_VERSION } from '../version'
import type { PbasConfig } from './config'
import { centreRule, extractorOf, preprocessOf } from './config-helpers'
import { ScoringHead } from './scoring-head'
import { loadOrt } from '../onnx/ort'
import { shuffledOrder, trainPbas, type TrainProgress } from './train'

/** Everything a training job reports: feature extraction progress, then training progress. */
export type TrainModelProgress = ProgressEvent | TrainProgress | { kind: 'stage'; stage: 'features' | 'train' | 'thresholds' | 'save'; message: string }

/** What to train on and where to put the result. */
export interface TrainModelJob {
  data: string
  category?: string
  out: string
  config: PbasConfig
  backbone: BackboneContext
  backendName: string
  /** a GPU tfjs backend is active */
  gpu?: boolean
  /** where training features are cached on disk and reused by key (default `<out>.features`, removed after success) */
  featureCacheDir?: string
  /** more good images to train on (e.g. confirmed good by a reviewer); missing files are skipped */
  extraGood?: readonly string[]
}

/** Trains and saves a model; returns its metadata. Checkpoints live in `<out>.checkpoint` until success. */
export async function trainModel(job: TrainModelJob, opts: JobOptions<TrainModelProgress> = {}): Promise<ModelMeta> {
  const cfg = job.config
  const ds = await readDataset(job.data, { category: job.category })
  const listed = goodTrainingSamples(ds).map((s) => s.path)
  const extra = (job.extraGood ?? []).filter((p) => !listed.includes(p) && existsSync(p))
  const good = [...listed, ...extra]
  // A seeded hold-out of good images for model selection and thresholds; test labels are never used.
  const order = shuffledOrder(good.length, cfg.seed, -2)
  const nVal = Math.floor(good.length * cfg.validationShare)
  const valSet = new Set(order.slice(0, nVal))
  const trainPaths = good.filter((_, i) => !valSet.has(i))
  const valPaths = good.filter((_, i) => valSet.has(i))
  const backbone = await loadBackbone(cfg.backbone, job.backbone)
  try {
    const extractor = extractorOf(backbone, cfg)
    const preprocess = preprocessOf(cfg)
    // Training and validation features stay on disk and are streamed per batch or image, so memory does
    // not grow with the data set (the OS page cache keeps them fast).
    const disk = new DiskFeatureCache(job.featureCacheDir ?? `${job.out}.features`)
    opts.onProgress?.({ kind: 'stage', stage: 'features', message: `extracting features of ${good.length} good images${extra.length ? ` (${extra.length} added by reviewers)` : ''} with ${backbone.id} on ${backbone.runtime} (once; cached for every epoch)` })
    const feats = await extractFeatures({ paths: trainPaths, extractor, preprocess, cache: disk, batchSize: cfg.batchSize, retain: false }, { signal: opts.signal, onProgress: opts.onProgress })
    const val = await extractFeatures({ paths: valPaths, extractor, preprocess, cache: disk, batchSize: cfg.batchSize, retain: false }, { signal: opts.signal })
    const per = feats.grid * feats.grid * feats.dim
    const streamed = (paths: readonly string[], keys: readonly string[]) =>
      new StreamedFeatures(disk, keys, per, async (i) => extractor.extractImages([(await loadImage(paths[i], preprocess)).data], preprocess.crop), (i, file, found) =>
        opts.onProgress?.({ kind: 'stage', stage: 'train', message: `feature cache entry ${file} was ${found === 'corrupt' ? 'damaged (checksum)' : 'missing'}; re-extracted from ${paths[i]}` }),
      )
    const train = streamed(trainPaths, feats.keys)
    const validation = streamed(valPaths, val.keys)
    opts.onProgress?.({ kind: 'stage', stage: 'features', message: featureCacheMessage(disk.dir, good.length, per, feats.cacheHits + val.cacheHits, !job.featureCacheDir) })
    const P = feats.grid * feats.grid
    opts.onProgress?.({ kind: 'stage', stage: 'train', message: `training PBAS for ${cfg.epochs} epochs on ${train.length} images (${P} patches x ${cfg.targetDim}); tfjs backend ${job.backendName}${job.gpu ? ' (GPU)' : ''}, onnxruntime ${loadOrt() && !job.gpu ? 'on' : 'off'}` })
    const checkpointDir = `${job.out}.checkpoint`
    const result = await trainPbas({ train, validation, patches: P, config: cfg, checkpointDir, gpu: job.gpu }, opts)
    opts.onProgress?.({ kind: 'stage', stage: 'thresholds', message: 'setting thresholds from good images' })
    const arrays = { ...result.params, centre: result.centre }
    const head = new ScoringHead(arrays, cfg.targetDim, cfg.scoring, centreRule(cfg))
    // Held-out images give honest thresholds; training images score optimistically low (more false rejects).
    const basis = validation.length ? validation : train
    const scores = new Float32Array(basis.length)
    const patchScores: number[] = []
    for (let i = 0; i < basis.length; i++) {
      const s = await head.score(await basis.get(i))
      scores[i] = s.reduce((a, b) => (b > a ? b : a), -Infinity)
      for (let k = 0; k < s.length; k += 4) patchScores.push(s[k])
    }
    head.dispose()
    const band = reviewBand(scores, cfg.targetFalseReject, Math.min(0.5, cfg.targetFalseReject * 5))
    // Heat maps of every later evaluation share this range: a typical good patch is dark, the fail threshold full colour.
    patchScores.sort((a, b) => a - b)
    const typical = patchScores[Math.floor(patchScores.length / 2)]
    const mapRange = { lo: typical, hi: Math.max(band.fail, typical + 1e-6) }
    const meta: ModelMeta = {
      formatVersion: MODEL_FORMAT_VERSION,
      engineVersion: ENGINE_VERSION,
      createdAt: new Date().toISOString(),
      config: cfg,
      backbone: { id: backbone.id, spec: cfg.backbone, weightsChecksum: backbone.weightsChecksum, taps: [...extractor.taps] },
      grid: feats.grid,
      dim: cfg.targetDim,
      selection: { rule: result.selectionRule, epoch: result.selectedEpoch },
      thresholds: {
        default: fprThreshold(scores, cfg.targetFalseReject),
        band,
        mapRange,
        source: validation.length ? `${validation.length} held-out good images` : `the ${train.length} training images (no hold-out; thresholds are optimistic)`,
      },
      history: result.history,
      centreDistances: result.centreDistances,
      dataset: { root: ds.root, category: ds.category, fingerprint: await datasetFingerprint(ds.root, good), trainImages: train.length, validationImages: validation.length },
      backend: job.backendName,
      runtime: { features: backbone.runtime, training: result.runtime },
      trainingSeconds: result.seconds + feats.seconds + val.seconds,
    }
    opts.onProgress?.({ kind: 'stage', stage: 'save', message: `writing ${job.out}` })
    await saveModel(job.out, meta, arrays)
    await rm(checkpointDir, { recursive: true, force: true })
    if (!job.featureCacheDir) await disk.remove()
    return meta
  } finally {
    backbone.dispose()
  }
}
