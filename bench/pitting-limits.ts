// Benchmark: what limits bsdata_pitting's image ranking. Trains the Quick preset (stretch, and tiles) with a review of
// the test split, then splits I-AUROC by capture position and by pitting-mark size. `npm run bench:pitting-limits`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { PRESETS, resolveConfig } from '../src/main/engine/pbas/config'
import { runTrainingPipeline } from '../src/main/engine/pipeline/train-pipeline'
import { auroc } from '../src/main/engine/metrics/ranking'
import { openImage, toRgbFloat } from '../src/main/engine/image/open-image'
import type { Fit } from '../src/shared/pbas/parameters'
import { sharedPath } from '../src/test-support/shared'
import { benchMain } from './run-cases'

const CASES = ['stretch', 'tile']
const pct = (x: number) => Number((100 * x).toFixed(2))
/** The file names' capture position (e.g. 01_200828110135_332500_225_crop_2.jpg: 332500_225). */
const position = (p: string) => p.split(/[\\/]/).pop()!.split('_').slice(2, 4).join('_')

interface Item { path: string; score: number; label: string }

/** Share of the photo a defect's mask covers. */
async function maskShare(imagePath: string): Promise<number | null> {
  const mask = imagePath.replace(/[\\/]test[\\/]/, '/ground_truth/').replace(/\.[a-z]+$/i, '_mask.png')
  try {
    const { image, info } = await openImage(mask)
    const { data } = await toRgbFloat(mask, image, info.bitDepth)
    let n = 0
    for (let i = 0; i < data.length; i += 3) if (data[i] > 0.5) n++
    return n / (data.length / 3)
  } catch {
    return null
  }
}

/** I-AUROC of `defects` against `good` (each a list of image scores), in %. */
const rank = (defects: Item[], good: Item[]) => pct(auroc(Float32Array.from([...defects, ...good], (x) => x.score), [...defects.map(() => 1), ...good.map(() => 0)]))

/** The review's I-AUROC split by capture position and by mark size (thirds of the defects by mask area). */
async function analyse(items: Item[], data: string) {
  const good = items.filter((x) => x.label === 'good')
  const pits = items.filter((x) => x.label !== 'good')
  const trained = new Map<string, number>()
  for (const f of readdirSync(join(data, 'train', 'good'))) trained.set(position(f), (trained.get(position(f)) ?? 0) + 1)
  const goodPositions = [...new Set(good.map((x) => position(x.path)))].sort()
  const sized = (await Promise.all(pits.map(async (x) => ({ x, share: await maskShare(x.path) })))).filter((s): s is { x: Item; share: number } => s.share !== null).sort((a, b) => a.share - b.share)
  const third = Math.floor(sized.length / 3)
  const parts = [sized.slice(0, third), sized.slice(third, 2 * third), sized.slice(2 * third)]
  return {
    image_auroc: rank(pits, good),
    goodTestPositions: goodPositions.map((p) => {
      const g = good.filter((x) => position(x.path) === p)
      const d = pits.filter((x) => position(x.path) === p)
      return { position: p, trainImages: trained.get(p) ?? 0, goodTest: g.length, pittedTest: d.length, image_auroc: d.length ? rank(d, g) : null }
    }),
    pittedAtGoodPositions: { images: pits.filter((x) => goodPositions.includes(position(x.path))).length, image_auroc: rank(pits.filter((x) => goodPositions.includes(position(x.path))), good) },
    pittedAtTrainedPositions: { images: pits.filter((x) => !goodPositions.includes(position(x.path))).length, image_auroc: rank(pits.filter((x) => !goodPositions.includes(position(x.path))), good) },
    byMarkSize: parts.map((s, k) => ({ third: ['smallest', 'middle', 'largest'][k], images: s.length, maskSharePct: [Number((100 * s[0].share).toFixed(3)), Number((100 * s[s.length - 1].share).toFixed(3))], image_auroc: rank(s.map((v) => v.x), good) })),
  }
}

async function runCase(fit: string): Promise<void> {
  const data = sharedPath('datasets', 'bsdata_pitting')
  // BENCH_REVIEW_<FIT>: analyse a review folder written earlier by a training run with the same settings.
  const given = process.env[`BENCH_REVIEW_${fit.toUpperCase()}`]
  const work = mkdtempSync(join(tmpdir(), `pbas-limits-${fit}-`))
  try {
    let reviewDir = given
    if (!reviewDir) {
      const backend = await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
      const config = resolveConfig(PRESETS.quick, { backbone: sharedPath('backbones/resnet18_imagenet_to_layer3'), fit: fit as Fit })
      reviewDir = join(work, 'review')
      await runTrainingPipeline({ data, out: join(work, 'model'), config, backbone: { dataDir: join(work, 'data'), resourcesDir: resolve(__dirname, '..', 'resources') }, backendName: backend.name, reviewDir })
    }
    const review = JSON.parse(readFileSync(join(reviewDir, 'review.json'), 'utf8')) as { items: Item[] }
    console.log(JSON.stringify({ fit, reviewFrom: given ? 'a review folder given by BENCH_REVIEW_' + fit.toUpperCase() : 'this run', ...(await analyse(review.items, data)) }))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

benchMain(__filename, CASES, runCase, {
  benchmark: 'pitting-limits',
  command: 'npm run bench:pitting-limits',
  what: "bsdata_pitting, Quick preset (ResNet18, 256 px, converged rule, 16 epochs at most) with fit stretch and with tiles at native resolution: the test split's I-AUROC (in %) split by capture position (the file name's third and fourth fields, e.g. 332500_225) and by pitting-mark size (thirds of the pitted test photos by the share of the photo their mask covers). goodTestPositions: the positions the good test photos come from, with how many training photos each has; pittedAtGoodPositions / pittedAtTrainedPositions: every good test photo against the pitted photos of those positions or of the others. reviewFrom: whether this run trained the model or analysed a review folder written by a training run of the same settings (BENCH_REVIEW_STRETCH / BENCH_REVIEW_TILE).",
}, (r) => String(r.fit))
