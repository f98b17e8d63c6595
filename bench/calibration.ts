// Benchmark of decisions, not speed: does the default threshold keep its stated false-reject bound on unseen good parts?
// Trains with the defaults (Quick preset, real ResNet18) on shared bottle and bsdata_pitting, then scores each test split.
// Run with `npm run bench:calibration` (tens of minutes); writes bench/results/calibration.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { PRESETS, resolveConfig } from '../src/main/engine/pbas/config'
import { runTrainingPipeline } from '../src/main/engine/pipeline/train-pipeline'
import { withModel } from '../src/main/engine/pipeline/review-pipeline'
import { evaluateModel, reportedMetrics } from '../src/main/engine/pipeline/evaluate-model'
import { readModelMeta } from '../src/main/engine/model/model-file'
import { canonicalJson } from '../src/main/engine/model/integrity'
import { clopperPearson, orderStatisticLevel } from '../src/shared/calibration/conformal'
import { decisionAt } from '../src/shared/review/threshold-stats'
import { sharedPath } from '../src/test-support/shared'
import { machineInfo } from './machine-info'

const SETS = (process.env.BENCH_SETS ?? 'mvtec_bottle,bsdata_pitting').split(',')
const WORK = process.env.BENCH_WORK ?? resolve(__dirname, '..', 'scratch', 'calibration')

async function main(): Promise<void> {
  const backend = await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const ctx = { dataDir: join(WORK, 'data'), resourcesDir: resolve(__dirname, '..', 'resources') }
  const results = []
  for (const name of SETS) {
    const data = sharedPath('datasets', name)
    const out = join(WORK, name)
    mkdirSync(WORK, { recursive: true })
    const config = resolveConfig(PRESETS.quick, { backbone: sharedPath('backbones/resnet18_imagenet_to_layer3') })
    const t0 = Date.now()
    // A model this benchmark already trained with these settings is evaluated again, not retrained
    // (an interrupted training resumes from its checkpoint).
    const done = await readModelMeta(out).catch(() => null)
    if (!done || canonicalJson(done.config) !== canonicalJson(config))
      await runTrainingPipeline({ data, out, config, backbone: ctx, backendName: backend.name, gpu: backend.gpu }, { onProgress: (e) => e.kind === 'epoch' && console.error(`${name}: epoch ${e.epoch}/${e.epochs} (${e.seconds.toFixed(0)} s)`) })
    const meta = await readModelMeta(out)
    const seconds = done ? meta.trainingSeconds : (Date.now() - t0) / 1000
    const ev = await withModel(out, ctx, (model) => evaluateModel(model, data, undefined))
    const m = reportedMetrics(ev)
    const c = meta.thresholds.calibration!
    // False rejects on the test split's good images at the model's own fail threshold (the evaluation's own
    // verdicts), with their exact interval.
    const { samples, scores, labels, verdicts } = ev.scored
    const good = samples.flatMap((x, i) => (labels[i] === 0 ? [{ path: x.path, score: scores[i], failed: verdicts[i] === 'fail' }] : []))
    const nGood = good.length
    const rejected = good.filter((g) => g.failed).length
    // A product at the line: reviewers confirm half of the good test parts, the model is recalibrated on them
    // (with its training hold-out, as `pbas calibrate` does by default), and the other half is judged; then
    // the other way round. Same order-statistic rule; scores are the model's, so no retraining is involved.
    const goodScores = good.map((g) => g.score)
    const heldScores = meta.calibrations!.revisions[0].images.map((x) => x.score)
    const recalibratedOnLineParts = [0, 1].map((half) => {
      const on = goodScores.filter((_, i) => i % 2 === half)
      const judged = goodScores.filter((_, i) => i % 2 !== half)
      const level = orderStatisticLevel([...heldScores, ...on], c.fail.target)
      const rejectedJudged = judged.filter((x) => decisionAt(x, level.value) === 'fail').length
      return { calibratedOnLineParts: on.length, calibrationImages: heldScores.length + on.length, statedBound: level.bound, failThreshold: level.value, judgedGood: judged.length, judgedRejected: rejectedJudged, withinBound: rejectedJudged / judged.length <= level.bound }
    })
    results.push({
      dataset: name, trainImages: meta.dataset.trainImages, calibrationImages: c.images, target: c.fail.target,
      statedBound: c.fail.bound, supportable: c.fail.supportable, calibrationObserved: c.fail.observed, calibrationInterval: c.fail.interval,
      testGood: nGood, testGoodRejected: rejected, testFalseRejectRate: m.false_reject_rate, testFalseRejectInterval: clopperPearson(rejected, nGood),
      withinBound: (m.false_reject_rate ?? 0) <= c.fail.bound, defectRecall: m.defect_recall, tprAt1pctFpr: m.tpr_at_1pct_fpr,
      drift: ev.drift,
      // Which good test parts the model failed, with their scores against the fail threshold, to look at.
      rejectedGood: good.filter((g) => g.failed).map((g) => ({ path: relative(data, g.path), score: g.score })),
      failThreshold: meta.thresholds.band.fail,
      recalibratedOnLineParts,
      image_auroc: m.image_auroc, image_ap: m.image_ap, pixel_auroc: m.pixel_auroc, pixel_ap: m.pixel_ap, pixel_pro: m.pixel_pro, epochs: config.epochs, trainingSeconds: Math.round(seconds),
    })
    console.log(JSON.stringify(results.at(-1)))
  }
  const file = resolve(__dirname, 'results', 'calibration.json')
  writeFileSync(file, JSON.stringify({
    benchmark: 'calibration',
    command: 'npm run bench:calibration',
    what: 'Quick preset (ResNet18 ImageNet weights, 256 px, D = 1536, 16 epochs, final epoch) with the default hold-out (20 % of good images, at least 8) and the default 1 % false-reject target; the fail threshold is the ceil((n+1)(1-a))-th order statistic of the held-out scores. testFalseRejectRate: share of the test split\'s good images the model fails at that threshold; statedBound: the rate the model promises for new good parts. recalibratedOnLineParts: the good test parts split in two halves (even and odd positions); the model recalibrated (as pbas calibrate does, training hold-out kept) on one half is judged on the other, both ways.',
    machine: machineInfo(backend), results,
  }, null, 2) + '\n')
  console.error(`wrote ${file}`)
}

void main()
