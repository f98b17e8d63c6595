// Benchmark: reviewing a trained model's test split and one PCA feature plot, as the app runs them; writes bench/results/review.json.
// Run with `npm run bench:review` after README's bottle commands made `bottle-r18` (BENCH_MODEL, BENCH_DATA point elsewhere).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { defaultResourcesDir } from '../src/main/engine/backbone/load-backbone'
import { featurePlot } from '../src/main/engine/analysis/feature-plot'
import { PbasModel } from '../src/main/engine/pipeline/predict'
import { reviewSamples } from '../src/main/engine/review/review-samples'
import { writeReview } from '../src/main/engine/pipeline/write-review'
import { defaultDataDir } from '../src/main/engine/util/data-dir'
import { draftMark, machineInfo } from './machine-info'

const MODEL = resolve(process.env.BENCH_MODEL ?? 'bottle-r18')
const DATA = resolve(process.env.BENCH_DATA ?? join(__dirname, '..', '..', 'shared', 'datasets', 'mvtec_bottle'))
const OUT = process.env.BENCH_OUT ?? join(__dirname, 'results', 'review.json')
const round = (x: number, d = 2) => Number(x.toFixed(d))

async function main(): Promise<void> {
  const backend = await initBackend()
  const machine = machineInfo(backend)
  const ctx = { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() }
  const scratch = mkdtempSync(join(tmpdir(), 'pbas-bench-review-'))
  try {
    const t0 = performance.now()
    const model = await PbasModel.load(MODEL, ctx)
    const loadSeconds = (performance.now() - t0) / 1000
    const t1 = performance.now()
    const { kind, labelled, samples } = await reviewSamples(DATA)
    const summary = await writeReview({ model, samples, labelled, source: { data: DATA, kind }, outDir: join(scratch, 'review') })
    const reviewSeconds = (performance.now() - t1) / 1000
    const poolSize = model.goodPool.paths.length
    model.dispose()
    const t2 = performance.now()
    const plot = await featurePlot({ modelDir: MODEL, data: DATA, stage: 'final', backbone: ctx })
    const plotSeconds = (performance.now() - t2) / 1000
    const m = summary.metrics
    const result = {
      benchmark: 'review',
      command: 'npm run bench:review',
      what: "the app's review of a model's test split (scores, 8-bit heat maps, masks, thumbnails, nearest good training image, metrics and curves) and one PCA feature plot of the final projector (8 + 8 images, 600 patches per group)",
      ...draftMark(machine),
      model: MODEL,
      data: DATA,
      machine,
      modelLoadSeconds: round(loadSeconds),
      review: { images: summary.items.length, nearestGoodPool: poolSize, seconds: round(reviewSeconds, 1), metrics: m && { image_auroc: m.image_auroc, pixel_auroc: m.pixel_auroc, pixel_pro: m.pixel_pro } },
      featurePlot: { seconds: round(plotSeconds, 1), images: plot.images, explainedPercent: plot.explained.map((e) => round(100 * e, 1)) },
    }
    writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n')
    console.log(JSON.stringify(result))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

main().catch((err: Error) => {
  console.error(`bench:review: ${err.message}`)
  process.exitCode = 1
})
