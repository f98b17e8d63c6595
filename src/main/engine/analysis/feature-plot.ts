// Job: the paper's Fig. 9-10 for one model: 2-D PCA of normal, projected, synthetic and real defect patch features.
import * as tf from '@tensorflow/tfjs'
import { loadBackbone, type BackboneContext } from '../backbone/load-backbone'
import { goodTrainingSamples, readDataset } from '../data/read-dataset'
import { loadImage, loadMask, networkInput } from '../image/preprocess'
import { tilesOf, type TileGrid } from '../image/tiles'
import { isModelDir, loadModelFiles } from '../model/model-file'
import { readCheckpoint } from '../model/checkpoint'
import { RegionMasks } from '../image/region-cells'
import type { InspectionRegion } from '../../../shared/image/region'
import { checkpointDir } from '../model/paths'
import { InputError } from '../util/errors'
import type { PbasConfig } from '../pbas/config'
import { disposeParams, exportParams, initParams } from '../pbas/params'
import { shuffledOrder } from '../pipeline/train'
import { disposeCentre, matchedCentre, prepareCentre, synthesisOffset } from '../pbas/synthesis'
import { centreRule, extractorOf, preprocessOf } from '../pbas/config-helpers'
import { project as projectFeatures } from '../pbas/score'
import { mulberry32 } from '../util/random'
import type { NamedArray } from '../util/tensor-bundle'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import { fitPca, projectPca } from './pca'

export type { FeaturePlot, PlotGroup, PlotStage } from '../../../shared/models/feature-plot'
import type { FeaturePlot, PlotGroup, PlotStage } from '../../../shared/models/feature-plot'

/** Inputs of {@link featurePlot}. */
export interface FeaturePlotJob {
  /** the run's model folder (its checkpoint lives in `<modelDir>.checkpoint`) */
  modelDir: string
  data: string
  category?: string
  stage: PlotStage
  backbone: BackboneContext
  /** patches sampled per group (seeded) */
  perGroup?: number
  /** images per class the patches come from */
  images?: number
  seed?: number
  /** the run's region to inspect: only its patches are plotted, as only they are trained on and scored */
  region?: InspectionRegion
}

interface Learnt {
  config: PbasConfig
  taps: string[] | null
  epoch: number | null
  params: Record<string, NamedArray>
  centre: NamedArray
  /** the finished model's weight checksum (a checkpoint does not record one) */
  weightsSha256?: string
}

async function learntState(job: FeaturePlotJob): Promise<Learnt> {
  const haveModel = isModelDir(job.modelDir)
  let learnt: Learnt
  if (job.stage === 'final' || (job.stage === 'initial' && haveModel)) {
    if (!haveModel) throw new InputError(`${job.modelDir} holds no finished model yet; plot the latest checkpoint instead`)
    const { meta, arrays } = await loadModelFiles(job.modelDir)
    learnt = { config: meta.config, taps: meta.backbone.taps, epoch: meta.selection.epoch, params: arrays, centre: arrays.centre, weightsSha256: meta.backbone.weightsChecksum }
  } else {
    const ck = await readCheckpoint(checkpointDir(job.modelDir))
    if (!ck) throw new InputError(`no checkpoint in ${checkpointDir(job.modelDir)} yet; wait for the first epoch to finish`)
    learnt = { config: ck.config, taps: null, epoch: ck.epoch, params: ck.params, centre: ck.centre }
  }
  if (job.stage === 'initial') {
    // The projector exactly as training started (same seed), before any step.
    const p = initParams(learnt.config.targetDim, learnt.config.discHidden, learnt.config.seed)
    learnt = { ...learnt, epoch: 0, params: await exportParams(p) }
    disposeParams(p)
  }
  return learnt
}

function sampleRows(rows: Float32Array[], D: number, count: number, seed: number): Float32Array {
  const total = rows.reduce((a, r) => a + r.length / D, 0)
  const rand = mulberry32(seed)
  const pick = new Set<number>()
  while (pick.size < Math.min(count, total)) pick.add(Math.floor(rand() * total))
  const out = new Float32Array(pick.size * D)
  let k = 0
  for (const g of [...pick].sort((a, b) => a - b)) {
    let idx = g
    let r = 0
    while (idx >= rows[r].length / D) idx -= rows[r++].length / D
    out.set(rows[r].subarray(idx * D, (idx + 1) * D), k++ * D)
  }
  return out
}

async function project(x: Float32Array, D: number, params: Record<string, NamedArray>): Promise<Float32Array> {
  const t = tf.tidy(() => projectFeatures(tf.tensor2d(x, [x.length / D, D]), { projW: tf.tensor2d(params.projW.data, [D, D]), projB: tf.tensor1d(params.projB.data) }))
  const out = (await t.data()) as Float32Array
  t.dispose()
  return out
}

/** AFS (Eq. 7) of projected features u: z = u + alpha * mean(dist) * (u - c~) / |u - c~|. */
async function synthesise(u: Float32Array, D: number, centre: NamedArray, cfg: PbasConfig): Promise<Float32Array> {
  const c = tf.tensor2d(centre.data, centre.shape as [number, number])
  const prepared = prepareCentre(c)
  c.dispose()
  const t = tf.tidy(() => {
    const ut = tf.tensor2d(u, [u.length / D, D])
    return ut.add(synthesisOffset(ut, matchedCentre(ut, prepared, centreRule(cfg)), cfg, cfg.seed))
  })
  disposeCentre(prepared)
  const out = (await t.data()) as Float32Array
  t.dispose()
  return out
}

/**
 * Patch indices (of a grid x grid layout) mostly covered by the mask; for defects smaller than a patch,
 * the patches covering at least half as much as the best-covered one.
 */
function defectPatches(mask: Uint8Array, size: number, grid: number): number[] {
  const cell = size / grid
  const cover: number[] = []
  for (let gy = 0; gy < grid; gy++)
    for (let gx = 0; gx < grid; gx++) {
      let on = 0
      let all = 0
      for (let y = Math.floor(gy * cell); y < Math.floor((gy + 1) * cell); y++)
        for (let x = Math.floor(gx * cell); x < Math.floor((gx + 1) * cell); x++, all++) on += mask[y * size + x] ? 1 : 0
      cover.push(all ? on / all : 0)
    }
  const best = Math.max(...cover)
  const cut = best > 0.5 ? 0.5 : best / 2
  return best > 0 ? cover.flatMap((c, i) => (c >= cut && c > 0 ? [i] : [])) : []
}

/**
 * A tiled photo's defect patches (tile after tile, grid x grid each): those whose centre lies on the mask, which is
 * size x size over the whole photo (the stretch geometry tiled maps and masks share).
 */
function tiledDefectPatches(mask: Uint8Array, size: number, grid: number, tiles: TileGrid): number[] {
  const out: number[] = []
  tilesOf(tiles).forEach((t, k) => {
    for (let gy = 0; gy < grid; gy++)
      for (let gx = 0; gx < grid; gx++) {
        const mx = Math.min(size - 1, Math.floor(((t.x + ((gx + 0.5) * t.w) / grid) * size) / tiles.width))
        const my = Math.min(size - 1, Math.floor(((t.y + ((gy + 0.5) * t.h) / grid) * size) / tiles.height))
        if (mask[my * size + mx]) out.push((k * grid + gy) * grid + gx)
      }
  })
  return out
}

/** Computes the plot: features of a seeded sample of images, one PCA fitted on all groups together. */
export async function featurePlot(job: FeaturePlotJob, opts: JobOptions = {}): Promise<FeaturePlot> {
  const learnt = await learntState(job)
  const cfg = learnt.config
  const D = cfg.targetDim
  const perGroup = job.perGroup ?? 600
  const nImages = job.images ?? 8
  const seed = job.seed ?? cfg.seed
  const ds = await readDataset(job.data, { category: job.category })
  const good = goodTrainingSamples(ds)
  const defects = ds.samples.filter((s) => s.split === 'test' && s.label === 'defect' && s.maskPath)
  const pickGood = shuffledOrder(good.length, seed, -3).slice(0, nImages).map((i) => good[i])
  const pickDefect = shuffledOrder(defects.length, seed, -4).slice(0, nImages).map((i) => defects[i])
  const backbone = await loadBackbone(cfg.backbone, { ...job.backbone, weightsSha256: learnt.weightsSha256 })
  const eta = new EtaTracker('plot-features', pickGood.length + pickDefect.length)
  const normalRows: Float32Array[] = []
  const defectRows: Float32Array[] = []
  try {
    const extractor = extractorOf(backbone, cfg, learnt.taps)
    const pre = preprocessOf(cfg)
    const grid = extractor.gridSize(cfg.imageSize)
    const masks = job.region ? new RegionMasks(job.region, pre, grid) : null
    for (const s of [...pickGood, ...pickDefect]) {
      throwIfCancelled(opts.signal)
      const img = await loadImage(s.path, pre)
      // A tiled model learnt its tiles: their patches are what it knows (every tile of the photo).
      const f = await extractor.extractImages([networkInput(img)], img.size)
      const inspected = masks?.mask(img.originalWidth, img.originalHeight, s.path)
      const rowsOf = (idx: readonly number[]) => {
        const kept = inspected ? idx.filter((p) => inspected[p]) : idx
        const rows = new Float32Array(kept.length * D)
        kept.forEach((p, k) => rows.set(f.subarray(p * D, (p + 1) * D), k * D))
        return rows
      }
      if (s.label === 'good') normalRows.push(inspected ? rowsOf(Array.from({ length: f.length / D }, (_, p) => p)) : f)
      else {
        const mask = await loadMask(s.maskPath!, { width: img.originalWidth, height: img.originalHeight }, pre)
        const rows = rowsOf(img.tiles ? tiledDefectPatches(mask, img.size, grid, img.tiles.grid) : defectPatches(mask, img.size, grid))
        if (rows.length) defectRows.push(rows)
      }
      opts.onProgress?.(eta.update(normalRows.length + defectRows.length, s.path))
    }
  } finally {
    backbone.dispose()
  }
  opts.onProgress?.({ kind: 'progress', stage: 'plot-pca', done: 0, total: 1, etaSeconds: null })
  const x = sampleRows(normalRows, D, perGroup, seed + 1)
  const u = await project(x, D, learnt.params)
  const z = await synthesise(u, D, learnt.centre, cfg)
  const groups: { name: PlotGroup['name']; label: string; rows: Float32Array }[] = [
    { name: 'normal-backbone', label: 'good patches as the backbone sees them (E_φ)', rows: x },
    { name: 'normal-projected', label: `good patches after the projector (P_θ, ${job.stage === 'initial' ? 'at initialisation' : `epoch ${learnt.epoch}`})`, rows: u },
    { name: 'synthetic', label: cfg.synthesis === 'afs' ? 'made-up defects (AFS)' : 'made-up defects (Gaussian noise)', rows: z },
    { name: 'centre', label: 'centre of good (c)', rows: sampleRows([learnt.centre.data], D, Math.min(perGroup, 300), seed + 2) },
  ]
  if (defectRows.length) groups.push({ name: 'defect-projected', label: 'real defect patches, after the projector', rows: await project(sampleRows(defectRows, D, perGroup, seed + 3), D, learnt.params) })
  const all = new Float32Array(groups.reduce((a, g) => a + g.rows.length, 0))
  let o = 0
  for (const g of groups) {
    all.set(g.rows, o)
    o += g.rows.length
  }
  throwIfCancelled(opts.signal)
  const pca = fitPca(all, all.length / D, D, { seed })
  opts.onProgress?.({ kind: 'progress', stage: 'plot-pca', done: 1, total: 1, etaSeconds: 0 })
  return {
    stage: job.stage,
    epoch: learnt.epoch,
    explained: [pca.explained[0], pca.explained[1]],
    groups: groups.map((g) => {
      const p = projectPca(pca, g.rows, g.rows.length / D)
      return { name: g.name, label: g.label, points: Array.from({ length: p.length / 2 }, (_, i) => [p[2 * i], p[2 * i + 1]] as [number, number]) }
    }),
    images: { normal: normalRows.length, defect: defectRows.length },
  }
}
