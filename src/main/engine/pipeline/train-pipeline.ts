// The one training pipeline: data set read once -> hold-out split -> train -> calibrate -> save -> test-split review.
import { existsSync } from 'node:fs'
import type { TrainRunResult } from '../../../shared/models/job'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import type { TrainRunProgress } from '../../../shared/models/progress'
import { holdOutPlan } from '../../../shared/calibration/hold-out'
import { unseenWarning } from '../../../shared/image/coverage'
import { photoSizes } from '../image/check-images'
import { preprocessOf } from '../pbas/config-helpers'
import { loadBackbone, type BackboneContext } from '../backbone/load-backbone'
import { goodTrainingSamples, readDataset } from '../data/read-dataset'
import { isLeftOutWarning } from '../data/list-files'
import { sortAdditions } from '../data/training-additions'
import { holdOutSet, type GroupBy } from '../data/hold-out-groups'
import { evaluateSamples, reportedMetrics } from './evaluate-model'
import { PbasModel } from './predict'
import { shuffledOrder } from './train'
import { trainModel } from './train-model'
import { writeReview } from './write-review'
import { throwIfCancelled, type JobOptions } from '../util/job'
import { removeStaleTemps } from '../util/stale-temps'
import { checkpointDir, isModelFolderListing } from '../model/paths'
import { checkOutputFolder, type ProtectedFolder } from '../util/output-guard'
import { rm } from 'node:fs/promises'
import type { InspectionRegion } from '../../../shared/image/region'

/** A training run: where the data and the model are, the resolved configuration, and what to write besides the model. */
export interface TrainPipelineInput {
  data: string
  category?: string
  out: string
  config: PbasConfig
  backbone: BackboneContext
  backendName: string
  gpu?: boolean
  featureCacheDir?: string
  /** good images confirmed by reviewers; missing files and test-split images are left out */
  extraGood?: readonly string[]
  /** write the test split's review here (the app; `pbas train --review`) */
  reviewDir?: string
  /** how the calibration hold-out groups good images (none, auto, folder, name:REGEX, time:MINUTES); default auto */
  groupBy?: string
  /** discard an existing checkpoint and train from the start */
  restart?: boolean
  /** replace a non-empty `out` that is not a model folder (`pbas train --force`); data set and `protect` stay refused */
  force?: boolean
  /** the region to inspect and areas to ignore, in photo pixels (absent: the whole photo) */
  region?: InspectionRegion
  /** folders `out` may never be, lie in or contain besides the data set (the workspace) */
  protect?: readonly ProtectedFolder[]
}

/**
 * A seeded hold-out of good images for calibration (and epoch selection); test labels are never used. Whole groups
 * (folders, name patterns, capture times) are held out where the data has them, so calibration sees between-group
 * variation; `groups` says what was held out.
 */
export function splitGood(
  good: readonly string[],
  cfg: PbasConfig,
  grouping: { listed: number; groupBy: GroupBy; root: string },
): { train: string[]; heldOut: string[]; warning?: string; groups?: string } {
  const plan = holdOutPlan(good.length, cfg)
  const order = shuffledOrder(good.length, cfg.seed, -2)
  const { held, message } = holdOutSet(good, grouping.listed, plan.holdOut, grouping.groupBy, grouping.root, order, (n) => shuffledOrder(n, cfg.seed, -3))
  return {
    train: good.filter((_, i) => !held.has(i)), heldOut: good.filter((_, i) => held.has(i)),
    warning: plan.warning ?? undefined, groups: message ?? undefined,
  }
}

/** Runs a training run end to end; the same code serves the app's worker and `pbas train`. */
export async function runTrainingPipeline(input: TrainPipelineInput, opts: JobOptions<TrainRunProgress> = {}): Promise<TrainRunResult> {
  const cfg = input.config
  // Before anything is written or removed: an --out that holds a user's files or a data set is refused.
  await checkOutputFolder(input.out, {
    option: '--out', writes: 'a model', force: input.force, isOwn: (_dir, names) => isModelFolderListing(names),
    protect: [{ path: input.data, what: 'the data set' }, ...(input.protect ?? [])],
  })
  // Leftovers of a killed run (temp model folders, half-written checkpoint files) go before anything starts.
  await removeStaleTemps(input.out, [checkpointDir(input.out)])
  if (input.restart) await rm(checkpointDir(input.out), { recursive: true, force: true })
  const ds = await readDataset(input.data, { category: input.category })
  const leftOut = ds.problems.filter(isLeftOutWarning)
  if (leftOut.length)
    opts.onProgress?.({ kind: 'warning', message: `${leftOut.length} entr${leftOut.length === 1 ? 'y' : 'ies'} named like images left out: ${leftOut.slice(0, 5).map((p) => `${p.path} (${p.message.slice('left out: '.length)})`).join('; ')}${leftOut.length > 5 ? '; ...' : ''}` })
  const listed = goodTrainingSamples(ds).map((s) => s.path)
  const test = ds.samples.filter((s) => s.split === 'test')
  // The app refused test-split images when they were added; the data set may have changed since, so again here.
  const extra = sortAdditions(ds.samples, input.extraGood ?? []).accepted.filter((p) => existsSync(p))
  const good = [...listed, ...extra]
  const split = splitGood(good, cfg, { listed: listed.length, groupBy: input.groupBy ?? 'auto', root: ds.root })
  if (split.warning) opts.onProgress?.({ kind: 'warning', message: split.warning })
  if (split.groups) opts.onProgress?.({ kind: 'stage', stage: 'features', message: split.groups })
  // A fit that drops part of the photos is said before training, not found out at the line (a sample's sizes suffice).
  const unseen = unseenWarning(await photoSizes(good.slice(0, 32)), preprocessOf(cfg))
  if (unseen) opts.onProgress?.({ kind: 'warning', message: `${unseen[0].toUpperCase()}${unseen.slice(1)}` })
  const backbone = await loadBackbone(cfg.backbone, { ...input.backbone, seed: cfg.seed })
  let model: PbasModel | null = null
  try {
    const trained = await trainModel(
      {
        dataset: { root: ds.root, category: ds.category }, train: split.train, heldOut: split.heldOut, added: extra.length,
        out: input.out, config: cfg, region: input.region, backbone, backendName: input.backendName, gpu: input.gpu, featureCacheDir: input.featureCacheDir,
      },
      opts,
    )
    const { meta } = trained
    const result: TrainRunResult = { model: input.out, selection: meta.selection, trainingSeconds: meta.trainingSeconds, backend: meta.backend, runtime: meta.runtime }
    if (test.length === 0) return result
    // The test split is scored for the record and for review, never for model selection.
    throwIfCancelled(opts.signal)
    model = PbasModel.fromParts(meta, backbone, trained.arrays, trained.pool)
    if (input.reviewDir) {
      opts.onProgress?.({ kind: 'stage', stage: 'review', message: `reviewing the ${test.length} test images into ${input.reviewDir}` })
      result.review = await writeReview({ model, samples: test, labelled: true, source: { data: input.data, category: input.category, kind: 'test-split' }, outDir: input.reviewDir }, opts)
      result.metrics = result.review.metrics ?? undefined
    } else result.metrics = reportedMetrics(await evaluateSamples(model, test, { signal: opts.signal, skipUnreadable: true }))
    return result
  } finally {
    // The model owns the backbone once it exists.
    if (model) model.dispose()
    else backbone.dispose()
  }
}
