// `pbas demo`: the built-in default job; offline, deterministic, a few minutes on a 2-core CPU.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { checkDataset, formatSummary } from '../../engine/data/check-dataset'
import { chooseDemoBackbone } from '../../engine/demo/choose-backbone'
import { DEFAULT_SYNTHETIC, writeSyntheticProduct } from '../../engine/demo/synthetic-product'
import { resolveConfig } from '../../engine/pbas/config'
import { runTrainingPipeline } from '../../engine/pipeline/train-pipeline'
import { readModelMeta } from '../../engine/model/model-file'
import { reviewOverlayPng } from '../../engine/review/overlay'
import { verdict } from '../../engine/metrics/thresholds'
import { defaultDataDir } from '../../engine/util/data-dir'
import { writeFileAtomic } from '../../engine/util/atomic-write'
import { allowOnly, flagBool, flagInt, flagString, type ParsedArgs } from '../args'
import { ProgressView } from '../progress-view'
import { trainProgressPrinter } from './train'

export const DEMO_HELP = 'pbas demo [--out DIR] [--epochs N] [--json]   synthetic product -> check -> train PBAS -> evaluate -> heat maps'

const pct = (x: number | null) => (x === null ? 'n/a' : (100 * x).toFixed(1))

/** Runs the demo and writes DIR/summary.json, DIR/model and DIR/heatmaps. */
export async function runDemo(args: ParsedArgs): Promise<number> {
  allowOnly(args, ['out', 'epochs', 'json'])
  const json = flagBool(args, 'json')
  const log = (s: string) => (json ? undefined : console.log(s))
  const dataDir = defaultDataDir()
  const out = flagString(args, 'out') ?? join(dataDir, 'demo')
  const backend = await initBackend()
  log(`compute backend: ${backend.name} (${backend.reason})`)
  const dataset = join(out, 'product')
  await rm(dataset, { recursive: true, force: true })
  await mkdir(dataset, { recursive: true })
  log(`1/4 generating a synthetic product (machined discs; scratches and dents with masks) in ${dataset}`)
  const view = new ProgressView(json)
  await writeSyntheticProduct(dataset, DEFAULT_SYNTHETIC, { onProgress: (e) => view.show(e) })
  log('2/4 checking the data set')
  log(formatSummary(await checkDataset(dataset)))
  const resourcesDir = defaultResourcesDir()
  const choice = await chooseDemoBackbone(dataDir, join(resourcesDir, '..'), backend.gpu)
  // CPU-sized PBAS: the paper's method and losses with smaller images and feature width, and 10x the paper's
  // learning rates so 80 short epochs converge (at the paper's rates the discriminator is still at chance).
  const config = resolveConfig({
    backbone: choice.spec, imageSize: 128, resize: 128, pretrainDim: 384, targetDim: 384, discHidden: 256,
    lrProjector: 1e-3, lrDiscriminator: 2e-3, epochs: flagInt(args, 'epochs', 80, 1, 10000), batchSize: 8, checkpointEvery: 10,
  })
  log(`3/4 training PBAS with backbone ${choice.spec}\n    why: ${choice.why}`)
  const modelDir = join(out, 'model')
  const reviewDir = join(out, 'review')
  // The same pipeline as `pbas train --review` and the app: train, calibrate, then review the held-back test parts.
  const run = await runTrainingPipeline(
    { data: dataset, out: modelDir, config, backbone: { dataDir, resourcesDir }, backendName: backend.name, gpu: backend.gpu, reviewDir },
    { onProgress: trainProgressPrinter(json) },
  )
  log('4/4 evaluating on the held-back test parts')
  const meta = await readModelMeta(modelDir)
  const review = run.review!
  const heatDir = join(out, 'heatmaps')
  await rm(heatDir, { recursive: true, force: true })
  await mkdir(heatDir, { recursive: true })
  for (const x of review.items) await writeFile(join(heatDir, `${basename(join(x.path, '..'))}_${basename(x.path)}`), await reviewOverlayPng(reviewDir, x.index))
  const metrics = review.metrics!
  const result = {
    dataset, model: modelDir, review: reviewDir, heatmaps: heatDir, backend: backend.name, backbone: choice.spec, backboneReason: choice.why, imagenetWeights: choice.imagenet,
    epochs: meta.history.length, selection: meta.selection, trainingSeconds: Number(meta.trainingSeconds.toFixed(1)),
    ...metrics,
    calibration: meta.thresholds.calibration ?? null,
    verdicts: review.items.map((x) => ({ image: x.path.slice(dataset.length + 1), label: x.label ?? 'good', score: Number(x.score.toFixed(4)), verdict: verdict(x.score, meta.thresholds.band) })),
  }
  await writeFileAtomic(join(out, 'summary.json'), JSON.stringify(result, null, 2) + '\n')
  if (json) console.log(JSON.stringify(result))
  else {
    const flagged = result.verdicts.filter((v) => v.verdict !== 'pass')
    log(`I-AUROC ${pct(metrics.image_auroc)}  P-AUROC ${pct(metrics.pixel_auroc)}  PRO ${pct(metrics.pixel_pro)}  (${review.items.length} test parts, ${metrics.images_per_second.toFixed(1)} images/s)`)
    log(`flagged ${flagged.length} of ${result.verdicts.length} test parts (${flagged.filter((v) => v.label === 'defect').length} truly defective); heat maps in ${heatDir}`)
    log(`summary: ${join(out, 'summary.json')}`)
  }
  return 0
}
