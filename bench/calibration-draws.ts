// Benchmark of decisions: is a broken bound on bottle's test goods bad luck of one hold-out, or a shift of the test photos?
// Five models, each with one fold of a 5-fold partition of the good training images held out (20 %, the default
// share) and calibrated on it, each judged on the test split's good images.
// Run with `npm run bench:calibration-draws` (about half an hour; cached models are reused); writes bench/results/calibration-draws.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { PRESETS, resolveConfig } from '../src/main/engine/pbas/config'
import { trainModel } from '../src/main/engine/pipeline/train-model'
import { shuffledOrder } from '../src/main/engine/pipeline/train'
import { PbasModel } from '../src/main/engine/pipeline/predict'
import { loadBackbone } from '../src/main/engine/backbone/load-backbone'
import { goodTrainingSamples, readDataset } from '../src/main/engine/data/read-dataset'
import { readModelMeta } from '../src/main/engine/model/model-file'
import { canonicalJson } from '../src/main/engine/model/integrity'
import { driftCheck, type DriftCheck } from '../src/shared/calibration/conformal'
import { activeCalibrationScores } from '../src/main/engine/calibration/calibrate'
import { sharedPath } from '../src/test-support/shared'
import { machineInfo } from './machine-info'

const NAME = process.env.BENCH_SET ?? 'mvtec_bottle'
const FOLDS = 5
const WORK = process.env.BENCH_WORK ?? resolve(__dirname, '..', 'scratch', 'calibration', 'draws')

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** One hold-out draw judged on the test split's good images. */
interface Draw {
  fold: number
  trainImages: number
  calibrationImages: number
  statedBound: number
  failThreshold: number
  testGood: number
  testGoodRejected: number
  rejectedTestGood: { path: string; score: number }[]
  drift: DriftCheck | null
}

async function main(): Promise<void> {
  const backend = await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const ctx = { dataDir: join(WORK, 'data'), resourcesDir: resolve(__dirname, '..', 'resources') }
  const data = sharedPath('datasets', NAME)
  // The fold is the hold-out here (calibrationShare 0 keeps the pipeline from drawing a second one).
  const config = resolveConfig(PRESETS.quick, { backbone: sharedPath('backbones/resnet18_imagenet_to_layer3'), calibrationShare: 0 })
  const ds = await readDataset(data)
  const good = goodTrainingSamples(ds).map((s) => s.path)
  const testGood = ds.samples.filter((s) => s.split === 'test' && s.label === 'good').map((s) => s.path)
  const order = shuffledOrder(good.length, config.seed, -3)
  mkdirSync(WORK, { recursive: true })
  const draws: Draw[] = []
  for (let k = 0; k < FOLDS; k++) {
    const held = new Set(order.filter((_, i) => i % FOLDS === k))
    const heldOut = good.filter((_, i) => held.has(i))
    const out = join(WORK, `${NAME}-fold-${k}`)
    // A model this benchmark already trained on this fold with these settings is scored again, not retrained.
    const done = await readModelMeta(out).catch(() => null)
    if (!done || canonicalJson(done.config) !== canonicalJson(config) || canonicalJson(done.dataset.images?.heldOut) !== canonicalJson(heldOut)) {
      const backbone = await loadBackbone(config.backbone, { ...ctx, seed: config.seed })
      try {
        await trainModel({ dataset: { root: ds.root }, train: good.filter((_, i) => !held.has(i)), heldOut, out, config, backbone, backendName: backend.name, gpu: backend.gpu }, {
          onProgress: (e) => e.kind === 'epoch' && console.error(`fold ${k + 1}/${FOLDS}: epoch ${e.epoch}/${e.epochs} (${e.seconds.toFixed(0)} s)`),
        })
      } finally {
        backbone.dispose()
      }
    }
    const model = await PbasModel.load(out, ctx)
    try {
      // The model's own thresholds and verdicts: what it promises and what it decides at the line.
      const cal = activeCalibrationScores(model.meta)!
      const fail = model.meta.thresholds.calibration!.fail
      const preds = await model.predict(testGood)
      const rejected = preds.flatMap((p) => (p.verdict === 'fail' ? [{ path: relative(data, p.path), score: p.score }] : []))
      draws.push({
        fold: k + 1, trainImages: model.meta.dataset.trainImages, calibrationImages: cal.length, statedBound: fail.bound, failThreshold: fail.value,
        testGood: preds.length, testGoodRejected: rejected.length, rejectedTestGood: rejected, drift: driftCheck(cal, preds.map((p) => p.score)),
      })
      console.log(JSON.stringify(draws.at(-1)))
    } finally {
      model.dispose()
    }
  }
  const judged = sum(draws.map((d) => d.testGood))
  const rejected = sum(draws.map((d) => d.testGoodRejected))
  // Under exchangeability each draw fails at most statedBound x testGood parts on average.
  const expected = sum(draws.map((d) => d.statedBound * d.testGood))
  const failedIn = (path: string) => draws.filter((d) => d.rejectedTestGood.some((r) => r.path === path)).length
  const paths = [...new Set(draws.flatMap((d) => d.rejectedTestGood.map((r) => r.path)))]
  const file = resolve(__dirname, 'results', 'calibration-draws.json')
  writeFileSync(file, JSON.stringify({
    benchmark: 'calibration-draws',
    command: 'npm run bench:calibration-draws',
    what: `${NAME}, Quick preset (ResNet18 ImageNet weights, 256 px, 16 epochs, final epoch), 1 % false-reject target. Five models, model k holding out fold k of a seeded 5-fold partition of the good training images (20 %, the default calibration share) and calibrated on it by the ceil((n+1)(1-a))-th order statistic; each threshold judged on the test split's good images (the same images for every draw). expectedIfExchangeable: the failures the stated bounds allow on average; failedInDraws: in how many of the draws each failed good part failed.`,
    machine: machineInfo(backend),
    summary: {
      draws: draws.length, judged, rejected, rate: rejected / judged, expectedIfExchangeable: expected, statedBound: expected / judged,
      failedInDraws: paths.map((path) => ({ path, draws: failedIn(path) })).sort((a, b) => b.draws - a.draws), driftShifted: draws.filter((d) => d.drift?.shifted).length,
    },
    draws,
  }, null, 2) + '\n')
  console.error(`wrote ${file}`)
}

void main()
