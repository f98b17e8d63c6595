// Benchmark: time from start to a calibrated model, and its accuracy, for today's Quick, the new Quick default and
// PatchCore (official code, same run, same machine). `npm run bench:time-to-model`; writes bench/results/time-to-model.json.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { initBackend } from '../src/main/engine/backend/select-backend'
import { defaultResourcesDir, loadBackbone } from '../src/main/engine/backbone/load-backbone'
import { goodTrainingSamples, readDataset } from '../src/main/engine/data/read-dataset'
import { PRESETS, resolveConfig, type PbasConfig } from '../src/main/engine/pbas/config'
import { splitGood } from '../src/main/engine/pipeline/train-pipeline'
import { trainModel } from '../src/main/engine/pipeline/train-model'
import { defaultDataDir } from '../src/main/engine/util/data-dir'
import { preprocessOf } from '../src/main/engine/pbas/config-helpers'
import { epochMetrics, testFeatures, type TestFeatures } from './epoch-accuracy'
import { machineInfo } from './machine-info'
import { SHARED } from './run-pbas'

const BACKBONE = join(SHARED, 'backbones/resnet18_imagenet_to_layer3')
const PRODUCTS: Record<string, string> = { bottle: 'mvtec_bottle', pitting: 'bsdata_pitting' }

/** Today's Quick (every epoch, every patch) and the new default (the Quick preset as it now is). */
const VARIANTS: Record<string, Partial<PbasConfig>> = {
  // The Quick preset before issues 23 and 27: a centre crop, every epoch of 16, every patch.
  quickBefore: { ...PRESETS.quick, fit: 'crop', stopRule: 'budget', patchShare: 1, epochs: 16 },
  quickNow: { ...PRESETS.quick },
}

const env = (k: string, d: string) => process.env[k] ?? d
const limit = (k: string) => (process.env[k] ? Number(process.env[k]) : Infinity)
const round = (x: number | null, d = 2) => (x === null ? null : Number(x.toFixed(d)))
const pct = (x: number | null) => (x === null ? null : round(100 * x, 2))

/** One PBAS run from nothing to a saved, calibrated model, then its test accuracy; per-epoch accuracy when `curve`. */
async function runPbas(name: string, overrides: Partial<PbasConfig>, data: string, test: TestFeatures, curve: boolean) {
  const cfg = resolveConfig(overrides, { backbone: BACKBONE, seed: 0 }, process.env.BENCH_EPOCHS ? { epochs: Number(process.env.BENCH_EPOCHS) } : {})
  const dir = mkdtempSync(join(tmpdir(), `pbas-ttm-${name}-`))
  const points: Record<string, unknown>[] = []
  let observed = 0
  const t0 = Date.now()
  try {
    // From here to the saved model counts: weights, features, training, the rule's scoring, calibration, writing.
    const backbone = await loadBackbone(cfg.backbone, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir(), seed: cfg.seed })
    const ds = await readDataset(data)
    const good = goodTrainingSamples(ds).map((s) => s.path).slice(0, limit('BENCH_TRAIN_IMAGES'))
    const split = splitGood(good, cfg, { listed: good.length, groupBy: 'auto', root: ds.root })
    try {
      const trained = await trainModel(
        {
          dataset: { root: ds.root }, train: split.train, heldOut: split.heldOut, out: join(dir, 'model'), config: cfg, backbone, backendName: 'bench',
          // The accuracy curve's own scoring of the test split is timed and left out of every time below.
          observeEpoch: curve
            ? async (epoch, model) => {
                const ts = Date.now()
                const m = await epochMetrics(model, test, cfg)
                points.push({ epoch, seconds: round((ts - t0 - observed) / 1000, 1), image_auroc: pct(m.image_auroc), pixel_auroc: pct(m.pixel_auroc) })
                console.error(`${name}: ${JSON.stringify(points.at(-1))}`)
                observed += Date.now() - ts
              }
            : undefined,
        },
        { onProgress: (e) => (e.kind === 'epoch' ? console.error(`${name}: epoch ${e.epoch} ${e.seconds.toFixed(1)} s${e.stopped ? `; ${e.stopped}` : ''}`) : undefined) },
      )
      const seconds = (Date.now() - t0 - observed) / 1000
      const { meta, arrays } = trained
      const m = await epochMetrics({ params: arrays, centre: arrays.centre }, test, cfg, true)
      return {
        secondsToModel: round(seconds, 1),
        image_auroc: pct(m.image_auroc), pixel_auroc: pct(m.pixel_auroc), pixel_pro: pct(m.pixel_pro),
        epochs: meta.history.length, stop: meta.stop, epochSeconds: meta.history.map((h) => round(h.seconds, 1)),
        heldOut: meta.history.map((h) => h.heldOut ?? null),
        trainImages: split.train.length, heldOutImages: split.heldOut.length,
        settings: Object.fromEntries(Object.keys(overrides).map((k) => [k, cfg[k as keyof PbasConfig]])),
        ...(curve ? { curve: points, curveScoringSeconds: round(observed / 1000, 1) } : {}),
      }
    } finally {
      backbone.dispose()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** PatchCore from its official code (PATCHCORE_SRC: a checkout of amazon-science/patchcore-inspection), same weights. */
function runPatchcore(data: string): Record<string, unknown> | null {
  if (!process.env.PATCHCORE_SRC) return null
  const out = execFileSync('/usr/bin/python3', [resolve(__dirname, 'patchcore', 'run_patchcore.py')], {
    env: { ...process.env, PBAS_SHARED_DIR: SHARED, BENCH_DATA: data },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  })
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>
}

async function main(): Promise<void> {
  const backend = await initBackend(env('PBAS_BACKEND', 'wasm'))
  const extra = JSON.parse(env('BENCH_EXTRA', '{}')) as Record<string, Partial<PbasConfig>>
  const variants = { ...VARIANTS, ...extra }
  const names = env('BENCH_VARIANTS', Object.keys(variants).join(',')).split(',')
  const curves = new Set(env('BENCH_CURVES', 'quickBefore,quickNow').split(','))
  const results: Record<string, unknown> = {}
  const file = env('BENCH_OUT', resolve(__dirname, 'results', 'time-to-model.json'))
  for (const product of env('BENCH_PRODUCTS', 'bottle,pitting').split(',')) {
    const data = join(SHARED, 'datasets', PRODUCTS[product] ?? product)
    const load = { before: loadavg().map((x) => round(x)) }
    const patchcore = runPatchcore(data)
    if (patchcore) console.error(`${product}: PatchCore ${JSON.stringify(patchcore)}`)
    // The test split's features are extracted once per geometry (fit, sizes), outside every timed part: a variant
    // is scored on photos prepared as it was trained (a crop model on crop features, a stretch model on stretched).
    const tests = new Map<string, TestFeatures>()
    const testFor = async (overrides: Partial<PbasConfig>): Promise<TestFeatures> => {
      const evalCfg = resolveConfig(overrides, { backbone: BACKBONE })
      const key = JSON.stringify(preprocessOf(evalCfg))
      if (!tests.has(key)) {
        const bb = await loadBackbone(evalCfg.backbone, { dataDir: defaultDataDir(), resourcesDir: defaultResourcesDir(), seed: 0 })
        tests.set(key, await testFeatures(bb, evalCfg, data, limit('BENCH_TEST_IMAGES')))
        bb.dispose()
      }
      return tests.get(key)!
    }
    const pbas: Record<string, unknown> = {}
    // BENCH_VARIANTS_<product> (e.g. BENCH_VARIANTS_pitting=quickNow) narrows the runs of one product.
    for (const name of (process.env[`BENCH_VARIANTS_${product}`]?.split(',') ?? names)) {
      pbas[name] = await runPbas(name, variants[name], data, await testFor(variants[name]), curves.has(name))
      console.error(`${product} ${name}: ${JSON.stringify(pbas[name])}`)
    }
    results[product] = { data: data.replace(SHARED, '../shared'), testImages: [...tests.values()][0]?.labels.length ?? 0, patchcore, pbas, comparison: compare(pbas, patchcore), load: { ...load, after: loadavg().map((x) => round(x)) } }
    // Written after each product, so a run stopped during a later product keeps the earlier ones.
    writeResults(file, backend, results)
  }
}

type Figures = { secondsToModel: number | null; image_auroc: number | null; pixel_auroc: number | null }

/** The must-show figures: the new default's time over PatchCore's fit, and its accuracy against today's Quick (points). */
function compare(pbas: Record<string, unknown>, patchcore: Record<string, unknown> | null) {
  const now = pbas.quickNow as Figures | undefined
  const before = pbas.quickBefore as Figures | undefined
  const diff = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : round(a - b))
  return {
    quickNowOverPatchcoreFit: now?.secondsToModel != null && patchcore ? round(now.secondsToModel / (patchcore.fitSeconds as number), 3) : null,
    quickNowOverQuickBefore: now?.secondsToModel != null && before?.secondsToModel != null ? round(now.secondsToModel / before.secondsToModel, 3) : null,
    imageAurocPointsVsQuickBefore: diff(now?.image_auroc, before?.image_auroc),
    pixelAurocPointsVsQuickBefore: diff(now?.pixel_auroc, before?.pixel_auroc),
  }
}

function writeResults(file: string, backend: Awaited<ReturnType<typeof initBackend>>, results: Record<string, unknown>): void {
  const doc = {
    benchmark: 'time-to-model',
    command: 'npm run bench:time-to-model',
    what:
      'seconds from start (weights loaded, images read) to a saved, calibrated model, then I-AUROC / P-AUROC / PRO on the test split (in %; PBAS maps scored by its head from features extracted once, PatchCore by its own code); quickBefore = the Quick preset before issues 23 and 27 (centre crop, 16 epochs, every patch), quickNow = the Quick preset now (whole photo stretched, stop rule, patch share; on square photos the stretch has the geometry of the crop); each variant is scored on test photos prepared with its own fit, so the pixel figures of a crop cover only the cropped part of each photo (as with PatchCore); PatchCore = amazon-science/patchcore-inspection (1 % approximate greedy coreset, 1-NN; its own loader: shorter side to 256, centre crop, masks likewise), same ResNet18 layer2+layer3 weights, run in the same process tree right before PBAS; curve = test accuracy after each epoch against seconds since start, its own scoring time left out',
    ...(process.env.BENCH_DRAFT ? { draft: process.env.BENCH_DRAFT } : {}),
    machine: machineInfo(backend),
    results,
  }
  mkdirSync(resolve(file, '..'), { recursive: true })
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n')
  console.error(`wrote ${file}`)
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
