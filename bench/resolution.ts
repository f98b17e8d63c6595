// Benchmark: what the detector sees. bsdata_pitting (576 x 234 photos, tiny pits) and bottle (square) under the old
// default geometry (centre crop) and the whole-photo fits, Quick settings otherwise: accuracy, recall at the
// calibrated threshold, training seconds and peak RSS, one process per case. `npm run bench:resolution`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { PRESETS, resolveConfig } from '../src/main/engine/pbas/config'
import { runTrainingPipeline } from '../src/main/engine/pipeline/train-pipeline'
import { withModel } from '../src/main/engine/pipeline/review-pipeline'
import { evaluateModel, reportedMetrics } from '../src/main/engine/pipeline/evaluate-model'
import { readModelMeta } from '../src/main/engine/model/model-file'
import { photoSizes } from '../src/main/engine/image/check-images'
import { goodTrainingSamples, readDataset } from '../src/main/engine/data/read-dataset'
import { leastCovered } from '../src/shared/image/coverage'
import type { Fit } from '../src/shared/pbas/parameters'
import { sharedPath } from '../src/test-support/shared'
import { benchMain } from './run-cases'

/**
 * `<data set>:<fit>[@<input px>]`; bottle's photos are square, so every fit gives it the same input (one case shows
 * it). `bsdata_pitting:stretch@512` (not in the default list: about 4x the time) asks whether resolution limits pitting;
 * `bsdata_pitting:tile` scores each photo as 256 px tiles at its own resolution (three per 576 x 234 photo).
 */
const CASES = ['bsdata_pitting:crop', 'bsdata_pitting:pad', 'bsdata_pitting:stretch', 'bsdata_pitting:tile', 'mvtec_bottle:stretch']
const pct = (x: number | null) => (x === null ? null : Number((100 * x).toFixed(2)))

async function runCase(spec: string): Promise<void> {
  const [name, rest] = spec.split(':')
  const [fit, px] = rest.split('@') as [Fit, string | undefined]
  const size = px ? Number(px) : PRESETS.quick.imageSize
  const backend = await initBackend(process.env.PBAS_BACKEND ?? 'wasm')
  const work = mkdtempSync(join(tmpdir(), `pbas-resolution-${name}-${fit}-`))
  const ctx = { dataDir: join(work, 'data'), resourcesDir: resolve(__dirname, '..', 'resources') }
  try {
    const data = sharedPath('datasets', name)
    const out = join(work, 'model')
    const config = resolveConfig(PRESETS.quick, { backbone: sharedPath('backbones/resnet18_imagenet_to_layer3'), fit, imageSize: size, resize: size })
    const warnings: string[] = []
    const t0 = Date.now()
    await runTrainingPipeline({ data, out, config, backbone: ctx, backendName: backend.name, gpu: backend.gpu }, {
      onProgress: (e) => (e.kind === 'epoch' ? console.error(`${spec}: epoch ${e.epoch} (${e.seconds.toFixed(0)} s)`) : e.kind === 'warning' ? warnings.push(e.message) : undefined),
    })
    const seconds = (Date.now() - t0) / 1000
    const meta = await readModelMeta(out)
    const e0 = Date.now()
    const ev = await withModel(out, ctx, (model) => evaluateModel(model, data, undefined))
    const evaluateSeconds = (Date.now() - e0) / 1000
    const m = reportedMetrics(ev)
    const ds = await readDataset(data)
    const seen = leastCovered(await photoSizes(goodTrainingSamples(ds).slice(0, 32).map((s) => s.path)), { fit, resize: config.resize, crop: config.imageSize })
    console.log(JSON.stringify({
      dataset: name, fit, imageSize: config.imageSize, photo: seen ? `${seen.size.width}x${seen.size.height}` : null, visibleShare: seen ? Number(seen.visible.toFixed(3)) : null,
      image_auroc: pct(m.image_auroc), pixel_auroc: pct(m.pixel_auroc), pixel_pro: pct(m.pixel_pro), defectRecallAtThreshold: pct(m.defect_recall), falseRejectAtThreshold: pct(m.false_reject_rate),
      tiles: meta.tiling?.tiles ?? 1, epochs: meta.history.length, stop: meta.stop?.message, trainingSeconds: Math.round(seconds),
      inferenceSecondsPerImage: Number((evaluateSeconds / ev.images).toFixed(3)), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), warnings,
    }))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

benchMain(__filename, CASES, runCase, {
  benchmark: 'resolution',
  command: 'npm run bench:resolution',
  what: 'Quick preset (ResNet18, 256 px, converged rule, a quarter of the patches per step) on each data set with the given fit of the photo into the square input: crop = shorter side to 256 then centre crop (the default before issue 23), pad = longer side to 256 and pad, stretch = both sides to 256. visibleShare: share of the photo the model sees. Accuracy in % on the test split; defect recall and false rejects at the model\'s own calibrated fail threshold; training seconds from start to a saved model; peak RSS of the case\'s own process. A case with imageSize 512 is the same with a 512 px input (run with BENCH_CASES=bsdata_pitting:stretch@512 BENCH_MERGE=1; its own run block says when). fit tile = overlapping 256 px tiles at the photo\'s own resolution (a quarter overlap; tiles = per photo), each its own input; image score the highest over tiles, maps stitched. inferenceSecondsPerImage: the test split\'s evaluation time per image (rows that have it).',
}, (r) => `${r.dataset}:${r.fit}@${r.imageSize}`)
