// `pbas demo`: the built-in default job; offline, deterministic, a few minutes on a 2-core CPU.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { checkDataset, formatSummary } from '../../engine/data/check-dataset'
import { chooseDemoBackbone } from '../../engine/demo/choose-backbone'
import { DEFAULT_SYNTHETIC, writeSyntheticProduct } from '../../engine/demo/synthetic-product'
import { renderHeatmap } from '../../engine/image/heatmap'
import { resolveConfig } from '../../engine/pbas/config'
import { evaluateModel, reportedMetrics } from '../../engine/pbas/evaluate-model'
import { PbasModel } from '../../engine/pbas/predict'
import { trainModel } from '../../engine/pbas/train-model'
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
  const ctx = { dataDir, resourcesDir, seed: config.seed }
  const modelDir = join(out, 'model')
  const meta = await trainModel({ data: dataset, out: modelDir, config, backbone: ctx, backendName: backend.name, gpu: backend.gpu }, { onProgress: trainProgressPrinter(json) })
  log('4/4 evaluating on the held-back test parts')
  const model = await PbasModel.load(modelDir, ctx)
  const ev = await evaluateModel(model, dataset, undefined)
  const heatDir = join(out, 'heatmaps')
  await rm(heatDir, { recursive: true, force: true })
  await mkdir(heatDir, { recursive: true })
  const { review, fail } = meta.thresholds.band
  for (const p of ev.predictions.filter((q) => !q.path.includes('/train/')))
    await writeFile(join(heatDir, `${basename(join(p.path, '..'))}_${basename(p.path)}`), await renderHeatmap(p.image.data, p.map, p.size, review * 0.5, fail))
  model.dispose()
  const result = {
    dataset, model: modelDir, heatmaps: heatDir, backend: backend.name, backbone: choice.spec, backboneReason: choice.why, imagenetWeights: choice.imagenet,
    epochs: meta.history.length, selection: meta.selection, trainingSeconds: Number(meta.trainingSeconds.toFixed(1)),
    ...reportedMetrics(ev),
    verdicts: ev.predictions.map((p, i) => ({ image: p.path.slice(dataset.length + 1), label: ev.labels[i] ? 'defect' : 'good', score: Number(p.score.toFixed(4)), verdict: p.verdict })),
  }
  await writeFileAtomic(join(out, 'summary.json'), JSON.stringify(result, null, 2) + '\n')
  if (json) console.log(JSON.stringify(result))
  else {
    const flagged = result.verdicts.filter((v) => v.verdict !== 'pass')
    log(`I-AUROC ${pct(ev.image_auroc)}  P-AUROC ${pct(ev.pixel_auroc)}  PRO ${pct(ev.pixel_pro)}  (${ev.images} test parts, ${ev.images_per_second.toFixed(1)} images/s)`)
    log(`flagged ${flagged.length} of ${result.verdicts.length} test parts (${flagged.filter((v) => v.label === 'defect').length} truly defective); heat maps in ${heatDir}`)
    log(`summary: ${join(out, 'summary.json')}`)
  }
  return 0
}
