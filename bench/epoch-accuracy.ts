// Benchmarks only: a data set's test split with features extracted once, scored after every epoch (accuracy per epoch).
import type { Backbone } from '../src/main/engine/backbone/backbone'
import { readDataset } from '../src/main/engine/data/read-dataset'
import { loadImage, loadMask } from '../src/main/engine/image/preprocess'
import { imageMetrics, pixelMetrics, type Metrics } from '../src/main/engine/metrics/evaluate'
import { aurocFromSweep, sweep } from '../src/main/engine/metrics/ranking'
import { anomalyMap } from '../src/main/engine/pbas/anomaly-map'
import type { PbasConfig } from '../src/main/engine/pbas/config'
import { centreRule, extractorOf, preprocessOf } from '../src/main/engine/pbas/config-helpers'
import { ScoringHead } from '../src/main/engine/pbas/scoring-head'
import type { EpochModel } from '../src/main/engine/pipeline/train'

/** A test split held in memory as features, labels and masks. */
export interface TestFeatures {
  features: Float32Array[]
  labels: number[]
  /** ground truth per image (zeros for good images); images without a readable mask are left out */
  masks: Uint8Array[]
  grid: number
  size: number
}

/** Extracts the test split's features once, with the backbone and settings the runs train with. */
export async function testFeatures(backbone: Backbone, cfg: PbasConfig, data: string, limit = Infinity): Promise<TestFeatures> {
  const ds = await readDataset(data)
  const test = ds.samples.filter((s) => s.split === 'test' && (s.label === 'good' || s.maskPath)).slice(0, limit)
  const extractor = extractorOf(backbone, cfg)
  const preprocess = preprocessOf(cfg)
  const out: TestFeatures = { features: [], labels: [], masks: [], grid: 0, size: cfg.imageSize }
  for (const s of test) {
    const img = await loadImage(s.path, preprocess)
    out.features.push(await extractor.extractImages([img.data], preprocess.crop))
    out.labels.push(s.label === 'defect' ? 1 : 0)
    out.masks.push(s.label === 'defect' ? await loadMask(s.maskPath!, { width: img.originalWidth, height: img.originalHeight }, preprocess) : new Uint8Array(cfg.imageSize ** 2))
  }
  out.grid = Math.round(Math.sqrt(out.features[0].length / cfg.targetDim))
  return out
}

/** I-AUROC, P-AUROC (and PRO, which costs more, when asked) of the model after an epoch. */
export async function epochMetrics(model: EpochModel, t: TestFeatures, cfg: PbasConfig, withPro = false): Promise<Pick<Metrics, 'image_auroc' | 'pixel_auroc' | 'pixel_pro'>> {
  const head = new ScoringHead({ ...model.params, centre: model.centre }, cfg.targetDim, cfg.scoring, centreRule(cfg))
  const hw = t.size * t.size
  const maps = new Float32Array(t.features.length * hw)
  const masks = new Uint8Array(t.features.length * hw)
  const scores = new Float32Array(t.features.length)
  try {
    for (let i = 0; i < t.features.length; i++) {
      const s = await head.score(t.features[i])
      scores[i] = s.reduce((a, b) => (b > a ? b : a), -Infinity)
      maps.set(anomalyMap(s, t.grid, t.size, cfg.smoothSigma), i * hw)
      masks.set(t.masks[i], i * hw)
    }
  } finally {
    head.dispose()
  }
  const px = withPro ? pixelMetrics(maps, masks, t.features.length, t.size, t.size) : null
  const pixelAuroc = px ? px.pixel_auroc : aurocFromSweep(sweep(maps, (i) => masks[i] > 0))
  return { image_auroc: imageMetrics(scores, t.labels).image_auroc, pixel_auroc: pixelAuroc, pixel_pro: px?.pixel_pro ?? null }
}
