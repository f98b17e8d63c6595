// `pbas demo`: the built-in default job; offline, deterministic, under a minute of training on a quiet 2-core CPU.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { initBackend } from '../../engine/backend/select-backend'
import { defaultResourcesDir } from '../../engine/backbone/load-backbone'
import { describeWeights } from '../../engine/backbone/available-weights'
import { checkDataset, formatSummary } from '../../engine/data/check-dataset'
import { chooseDemoBackbone } from '../../engine/demo/choose-backbone'
import { DEFAULT_SYNTHETIC, writeSyntheticProduct } from '../../engine/demo/synthetic-product'
import { resolveConfig, type PbasConfig } from '../../engine/pbas/config'
import { runTrainingPipeline } from '../../engine/pipeline/train-pipeline'
import { readModelMeta } from '../../engine/model/model-file'
import { reviewCardPng } from '../../engine/review/heatmap-card'
import { verdict } from '../../engine/metrics/thresholds'
import { defaultDataDir } from '../../engine/util/data-dir'
import { writeFileAtomic } from '../../engine/util/atomic-write'
import { draftMark, machineInfo } from '../../engine/util/machine-info'
import { flagBool, flagInt, flagString, type ParsedArgs } from '../args'
import { defineCommand } from '../command-spec'
import { ProgressView } from '../progress-view'
import { trainProgressPrinter } from './train'

const DEMO_EPOCHS = 40

/**
 * CPU-sized PBAS: the paper's method and losses at the synthetic product's own resolution, 192 px (downscaled
 * to 128 px, a scratch was about two pixels wide and the faintest dents blended into the machining rings, for
 * stride-8 features), a narrower feature width than the paper's (D = 384), and 10x the paper's learning rates
 * so 40 short epochs converge (at the paper's rates the discriminator is still near chance after them).
 */
export function demoConfig(backbone: string, epochs: number): PbasConfig {
  const size = DEFAULT_SYNTHETIC.size
  return resolveConfig({
    backbone, imageSize: size, resize: size, pretrainDim: 384, targetDim: 384, discHidden: 256,
    lrProjector: 1e-3, lrDiscriminator: 2e-3, epochs, batchSize: 8, checkpointEvery: 10,
  })
}

const pct = (x: number | null) => (x === null ? 'n/a' : (100 * x).toFixed(1))

/** Runs the demo and writes DIR/summary.json, DIR/model and DIR/heatmaps (and a results file with --results). */
async function runDemo(args: ParsedArgs): Promise<number> {
  const json = flagBool(args, 'json')
  const log = (s: string) => (json ? undefined : console.log(s))
  const dataDir = defaultDataDir()
  const out = flagString(args, 'out') ?? join(dataDir, 'demo')
  const backend = await initBackend()
  const machine = machineInfo(backend)
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
  const choice = await chooseDemoBackbone(dataDir, resourcesDir, backend.gpu)
  const config = demoConfig(choice.spec, flagInt(args, 'epochs', DEMO_EPOCHS, 1, 10000))
  const backboneLabel = choice.weights ? describeWeights(choice.weights) : choice.spec
  log(`3/4 training PBAS (${config.imageSize} px, ${config.epochs} epochs) with ${backboneLabel}\n    why: ${choice.why}`)
  const modelDir = join(out, 'model')
  const reviewDir = join(out, 'review')
  const cpu0 = process.cpuUsage()
  // The same pipeline as `pbas train --review` and the app: train, calibrate, then review the held-back test parts.
  const run = await runTrainingPipeline(
    { data: dataset, out: modelDir, config, backbone: { dataDir, resourcesDir }, backendName: backend.name, gpu: backend.gpu, reviewDir },
    { onProgress: trainProgressPrinter(json) },
  )
  const cpu = process.cpuUsage(cpu0)
  log('4/4 evaluating on the held-back test parts')
  const meta = await readModelMeta(modelDir)
  const review = run.review!
  const metrics = review.metrics!
  const heatDir = join(out, 'heatmaps')
  await rm(heatDir, { recursive: true, force: true })
  await mkdir(heatDir, { recursive: true })
  // Each heat map carries its verdict, score, colour scale with the thresholds and the outlines, so it reads on its own.
  const band = meta.thresholds.band
  for (const x of review.items) {
    const title = `${basename(join(x.path, '..'))}/${basename(x.path)}`
    await writeFile(join(heatDir, `${basename(join(x.path, '..'))}_${basename(x.path)}`), await reviewCardPng(reviewDir, x.index, { range: review.mapRange, band, score: x.score, verdict: verdict(x.score, band), title }))
  }
  const verdicts = review.items.map((x) => ({ image: x.path.slice(dataset.length + 1), label: x.label ?? 'good', score: Number(x.score.toFixed(4)), verdict: verdict(x.score, meta.thresholds.band) }))
  const flagged = verdicts.filter((v) => v.verdict !== 'pass')
  const counts = {
    testParts: verdicts.length,
    defective: verdicts.filter((v) => v.label === 'defect').length,
    flagged: flagged.length,
    flaggedDefective: flagged.filter((v) => v.label === 'defect').length,
    missedDefective: verdicts.filter((v) => v.label === 'defect' && v.verdict === 'pass').length,
  }
  const result = {
    dataset, model: modelDir, review: reviewDir, heatmaps: heatDir, backend: backend.name, backbone: choice.spec,
    backboneWeights: choice.weights ? { origin: choice.weights.origin, sha256: choice.weights.sha256, path: choice.weights.path } : null,
    backboneDescription: backboneLabel, backboneReason: choice.why, imagenetWeights: choice.imagenet,
    imageSize: config.imageSize, epochs: meta.history.length, selection: meta.selection,
    trainingSeconds: Number(meta.trainingSeconds.toFixed(1)), trainingCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    ...metrics, calibration: meta.thresholds.calibration ?? null, counts, verdicts,
  }
  await writeFileAtomic(join(out, 'summary.json'), JSON.stringify(result, null, 2) + '\n')
  const resultsFile = flagString(args, 'results')
  if (resultsFile) await writeDemoResults(resultsFile, result, machine, config)
  if (json) console.log(JSON.stringify(result))
  else {
    log(`backbone: ${backboneLabel}`)
    log(`I-AUROC ${pct(metrics.image_auroc)}  P-AUROC ${pct(metrics.pixel_auroc)}  PRO ${pct(metrics.pixel_pro)}  (${counts.testParts} test parts, ${metrics.images_per_second.toFixed(1)} images/s; training ${result.trainingSeconds} s)`)
    log(`flagged ${counts.flagged} of ${counts.testParts} test parts (${counts.flaggedDefective} truly defective; ${counts.missedDefective} of ${counts.defective} defective parts missed); heat maps in ${heatDir}`)
    log(`summary: ${join(out, 'summary.json')}${resultsFile ? `\nresults: ${resultsFile}` : ''}`)
  }
  return 0
}

/** bench/results/demo.json: what README quotes about the demo, with the machine and its load (bench/readme-figures.ts checks README against it). */
async function writeDemoResults(file: string, result: Record<string, unknown>, machine: Record<string, unknown>, config: PbasConfig): Promise<void> {
  const { verdicts: _v, dataset: _d, model: _m, heatmaps: _h, review: _r, ...figures } = result
  const body = { benchmark: 'demo', command: 'npm run bench:demo', what: '`pbas demo` with no arguments: the synthetic product, trained and evaluated; figures from its summary.json', ...draftMark(machine), machine, config, ...figures }
  await writeFileAtomic(file, JSON.stringify(body, null, 2) + '\n')
}

export const DEMO_COMMAND = defineCommand({
  name: 'demo',
  summary: 'synthetic product -> check -> train PBAS -> evaluate -> heat maps; offline, no setup, deterministic',
  options: {
    out: { type: 'string', value: 'DIR', description: 'where the product, model, heat maps and summary.json go', defaultText: 'PBAS_DATA_DIR/demo (~/.local/share/pbas-inspect/demo)' },
    epochs: { type: 'integer', min: 1, max: 10000, description: 'training epochs', default: DEMO_EPOCHS },
    results: { type: 'string', value: 'FILE', description: 'also write the figures README quotes, with machine facts, to FILE (bench/results/demo.json)', defaultText: 'not written' },
    json: { type: 'boolean', description: 'print summary.json instead of text (progress as JSON lines)' },
  },
  examples: ['pbas demo', 'pbas demo --out /tmp/demo --epochs 20'],
  notes: ['It uses ResNet18 ImageNet weights from your store if you imported some, else the ones built into PBAS Inspect; PBAS_DEMO_BACKBONE overrides.'],
  run: runDemo,
})
