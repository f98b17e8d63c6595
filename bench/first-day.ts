// Benchmark: a new product's first day at the line. Train with the defaults, stream the test split through the
// commissioned station, answer review requests with the true label, recalibrate when it proposes; before and after.
// `npm run bench:first-day` writes bench/results/first-day.json. FIRST_DAY_MODELS=DIR reuses models trained there by
// `pbas train --data <product> --out DIR/<product>` (same defaults); FIRST_DAY_EPOCHS=N trains with fewer epochs.
import { existsSync } from 'node:fs'
import { copyFile, cp, mkdir, rm } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { defaultResourcesDir } from '../src/main/engine/backbone/load-backbone'
import { PRESETS, resolveConfig } from '../src/main/engine/pbas/config'
import { runTrainingPipeline } from '../src/main/engine/pipeline/train-pipeline'
import { readDataset } from '../src/main/engine/data/read-dataset'
import { readModelMeta, updateModelMeta } from '../src/main/engine/model/model-file'
import { calibrateThresholds } from '../src/main/engine/calibration/calibrate'
import { auroc } from '../src/main/engine/metrics/ranking'
import { shuffledOrder } from '../src/main/engine/pipeline/train'
import { CommissionedStation } from '../src/main/engine/station/commissioned-station'
import { DEFAULT_COMMISSION_K } from '../src/shared/models/station'
import { defaultDataDir } from '../src/main/engine/util/data-dir'
import { outcome, underBand, type StreamedPart } from './first-day-figures'
import { benchMain } from './run-cases'

const ROOT = resolve(__dirname, '..')
const SHARED = process.env.PBAS_SHARED_DIR ?? resolve(ROOT, '..', 'shared')
const SCRATCH = join(ROOT, 'scratch', 'bench-first-day')
const K = Number(process.env.FIRST_DAY_K ?? DEFAULT_COMMISSION_K)
const SEED = Number(process.env.FIRST_DAY_SEED ?? 7)
const EPOCHS = process.env.FIRST_DAY_EPOCHS ? Number(process.env.FIRST_DAY_EPOCHS) : null
const ctx = { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir() }

/** A trained model for the product: reused from FIRST_DAY_MODELS, else trained here with the Quick defaults. */
async function trainedModel(product: string, data: string): Promise<{ dir: string; how: string }> {
  const reuse = process.env.FIRST_DAY_MODELS && join(resolve(process.env.FIRST_DAY_MODELS), product)
  if (reuse && existsSync(join(reuse, 'model.json'))) return { dir: reuse, how: `reused ${reuse}, trained by \`pbas train --data ${data} --out ${reuse}\` (Quick preset, defaults)` }
  const dir = join(SCRATCH, product, 'trained')
  if (!existsSync(join(dir, 'model.json'))) {
    const config = resolveConfig(PRESETS.quick, EPOCHS ? { epochs: EPOCHS } : {})
    await runTrainingPipeline({ data, out: dir, config, backbone: ctx, backendName: 'wasm' }, { onProgress: (e) => e.kind === 'epoch' && console.error(`${product}: epoch ${e.epoch}/${e.epochs}`) })
  }
  return { dir, how: `trained here with the Quick preset${EPOCHS ? `, ${EPOCHS} epochs (fewer than the default)` : ''}` }
}

/**
 * A working copy of the model with only its training revision, whose band is derived by this code (a model
 * trained before the tail level existed gets it from the same stored hold-out scores; the weights are untouched).
 */
async function freshCopy(src: string, dst: string) {
  await rm(dst, { recursive: true, force: true })
  await cp(src, dst, { recursive: true })
  const meta = await readModelMeta(dst)
  const rev = meta.calibrations!.revisions.find((r) => r.id === 1)!
  const t = calibrateThresholds(Float32Array.from(rev.images.map((x) => x.score)), meta.config, rev.calibration.source)
  const next = { ...meta, thresholds: { ...meta.thresholds, ...t }, calibrations: { active: 1, revisions: [{ ...rev, calibration: t.calibration! }] } }
  await updateModelMeta(dst, next)
  return next
}

async function runCase(product: string): Promise<void> {
  await initBackend('wasm')
  const data = join(SHARED, 'datasets', product)
  const trained = await trainedModel(product, data)
  const work = join(SCRATCH, product)
  const modelDir = join(work, 'model')
  const meta = await freshCopy(trained.dir, modelDir)
  const first = meta.thresholds.calibration!
  const test = (await readDataset(data)).samples.filter((s) => s.split === 'test')
  const order = shuffledOrder(test.length, SEED, 0)
  const line = join(work, 'line')
  await rm(line, { recursive: true, force: true })
  await mkdir(line, { recursive: true })

  const ac = new AbortController()
  const waiters = new Map<string, (p: { score: number; verdict: 'pass' | 'review' | 'fail' }) => void>()
  const station = new CommissionedStation({ modelDir, dir: line, ctx, k: K, by: 'first-day bench (true labels)', settleMs: 20, pollMs: 20, exclude: test.map((s) => s.path) }, {
    signal: ac.signal,
    onProgress: (e) => void (e.kind === 'part' && waiters.get(e.part.file)?.(e.part)),
  })
  const run = station.run()
  const parts: StreamedPart[] = []
  const recalibrations: unknown[] = []
  const calibratedOn = new Set<string>()
  let revision = 1
  let band = meta.thresholds.band
  for (const [i, idx] of order.entries()) {
    const s = test[idx]
    const file = `${String(i).padStart(4, '0')}${extname(s.path)}`
    const seen = new Promise<{ score: number; verdict: 'pass' | 'review' | 'fail' }>((res) => waiters.set(file, res))
    await copyFile(s.path, join(line, file))
    const r = await seen
    waiters.delete(file)
    const reviewed = r.verdict === 'review'
    if (reviewed) station.answer(file, s.label)
    parts.push({ file, label: s.label, defectType: s.defectType, score: r.score, verdict: r.verdict, revision, reviewed })
    const proposal = station.state()?.proposal
    if (!proposal) continue
    const rev = await station.accept()
    rev.images.forEach((x) => calibratedOn.add(x.path.slice(line.length + 1)))
    const m = await readModelMeta(modelDir)
    revision = rev.id
    band = m.thresholds.band
    recalibrations.push({ afterParts: i + 1, revision: rev.id, replace: proposal.replace, reason: proposal.reason, images: rev.calibration.images, band, failBound: rev.calibration.fail.bound, reviewBound: rev.calibration.review.bound, tail: rev.calibration.tail })
  }
  const end = station.state()
  ac.abort()
  await run

  const scores = Float32Array.from(parts.map((p) => p.score))
  const labels = parts.map((p) => (p.label === 'defect' ? 1 : 0))
  const finalMeta = await readModelMeta(modelDir)
  const firstBand = meta.thresholds.band
  const result = {
    product, model: trained.how, epochs: finalMeta.history.length, k: K, seed: SEED, parts: parts.length,
    imageAuroc: auroc(scores, labels),
    calibration: { images: first.images, failBound: first.fail.bound, reviewBound: first.review.bound, tail: first.tail, band: firstBand, orderStatisticFail: first.fail.value },
    before: outcome(parts.filter((p) => p.revision === 1)),
    after: recalibrations.length ? outcome(parts.filter((p) => p.revision !== 1)) : null,
    recalibrations,
    commissioning: end,
    wholeSplit: {
      // What today's main decides (fail at the order-statistic level, no tail level), on every streamed part.
      today: underBand(parts, { review: first.review.value, fail: first.fail.value }),
      firstRevision: underBand(parts, firstBand),
      finalRevision: revision === 1 ? null : underBand(parts, finalMeta.thresholds.band, calibratedOn),
    },
    saturated: { scoresAtOne: parts.filter((p) => p.score >= 1).length, goodMin: Math.min(...parts.filter((p) => p.label === 'good').map((p) => p.score)) },
    stream: parts,
  }
  console.log(JSON.stringify(result))
}

benchMain(__filename, ['mvtec_bottle', 'bsdata_pitting'], runCase, {
  benchmark: 'first-day',
  command: 'npm run bench:first-day',
  what:
    'A new product at the line: train with the Quick defaults, stream the test split in a seeded random order through the commissioned station ' +
    '(src/main/engine/station), answer every review request with the true label, accept the recalibration the station proposes at K confirmed good parts. ' +
    "before: parts decided by the training revision; after: by the recalibrated one. wholeSplit: every streamed part under today's band, the first and the final revision (calibration parts left out).",
})
