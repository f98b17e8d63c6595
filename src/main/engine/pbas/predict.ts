// Inference with a saved model: E_phi -> patch scores -> image score (Eq. 11) and pixel map (Eq. 12).
import { loadBackbone, type BackboneContext } from '../backbone/load-backbone'
import type { Backbone } from '../backbone/backbone'
import type { FeatureExtractor } from '../features/feature-extractor'
import { centreRule, extractorOf, preprocessOf } from './config-helpers'
import { loadImage, type PreparedImage } from '../image/preprocess'
import { ImageReadError } from '../image/open-image'
import { verdict } from '../metrics/thresholds'
import { checkBackbone, loadModelFiles, type ModelMeta } from '../model/model-file'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import type { NamedArray } from '../util/tensor-bundle'
import { anomalyMap } from './anomaly-map'
import { ScoringHead } from './scoring-head'
import { buildFusedGraph, FusedInference } from './fused-inference'
import { loadOrt } from '../onnx/ort'

/** One image's result. `map` is size x size over the network input (see `geometry` to map back). */
export interface Prediction {
  path: string
  score: number
  verdict: 'pass' | 'review' | 'fail'
  map: Float32Array
  size: number
  image: PreparedImage
}

/** Options of {@link PbasModel.predict}: with `onUnreadable`, undecodable images are reported and skipped instead of failing the call. */
export interface PredictOptions extends JobOptions {
  onUnreadable?: (path: string, err: ImageReadError) => void
}

/** A loaded model ready to score images. */
export class PbasModel {
  private fused: Promise<FusedInference | null> | null = null

  private constructor(
    readonly meta: ModelMeta,
    readonly backbone: Backbone,
    readonly extractor: FeatureExtractor,
    readonly head: ScoringHead,
  ) {}

  /** Loads a model folder and the backbone it was trained with (checked by weight checksum). */
  static async load(dir: string, ctx: BackboneContext): Promise<PbasModel> {
    const { meta, arrays } = await loadModelFiles(dir)
    const backbone = await loadBackbone(meta.backbone.spec, ctx)
    try {
      checkBackbone(meta, backbone.id, backbone.weightsChecksum)
      return PbasModel.fromParts(meta, backbone, arrays)
    } catch (err) {
      backbone.dispose()
      throw err
    }
  }

  get preprocess() {
    return preprocessOf(this.meta.config)
  }

  /**
   * Scores images in batches; progress stage 'infer'. The next batch is decoded (sharp, on its own
   * threads) while the current one computes.
   */
  async predict(paths: readonly string[], opts: PredictOptions = {}, batchSize = 8): Promise<Prediction[]> {
    const eta = new EtaTracker('infer', paths.length)
    const out: Prediction[] = []
    const load = (b: number) => {
      const batch = Promise.all(
        paths.slice(b, b + batchSize).map((p) =>
          loadImage(p, this.preprocess).catch((err: unknown) => {
            if (!opts.onUnreadable || !(err instanceof ImageReadError)) throw err
            opts.onUnreadable(p, err)
            return null
          }),
        ),
      )
      batch.catch(() => {}) // awaited below; a failure before then must not count as unhandled
      return batch
    }
    let next = paths.length ? load(0) : null
    for (let b = 0; b < paths.length; b += batchSize) {
      throwIfCancelled(opts.signal)
      const loaded = await next!
      next = b + batchSize < paths.length ? load(b + batchSize) : null
      const images = loaded.filter((x): x is PreparedImage => x !== null)
      if (images.length) out.push(...(await this.predictPrepared(images)))
      const done = Math.min(paths.length, b + batchSize)
      opts.onProgress?.(eta.update(done, paths[done - 1]))
    }
    return out
  }

  /**
   * The whole model as one onnxruntime graph when possible (ResNet backbone on onnxruntime, discriminator
   * scoring); null otherwise. PBAS_FUSED=0 turns it off (the step-by-step path computes the same scores).
   */
  private fusedSession(): Promise<FusedInference | null> {
    this.fused ??= (async () => {
      const ort = loadOrt()
      const hw = this.head.headWeights()
      const b = this.backbone
      if (!ort || !hw || !b.folded || b.runtime !== 'onnxruntime' || process.env.PBAS_FUSED === '0') return null
      const taps = this.extractor.taps
      // Folding E_phi into the head turns a D-wide matMul into 3x3 convs over the backbone's channels:
      // cheaper for narrow backbones (ResNet18), dearer for wide ones (WRN50). Compare multiply counts per
      // patch; the step-by-step path also pays for E_phi in JavaScript, hence the 1.5 allowance.
      const p2 = this.meta.config.patchSize ** 2
      const base = b.strides[taps[0]]
      const fusedCost = taps.reduce((a, t) => a + (base / b.strides[t]) ** 2 * b.channels[t] * p2, 0)
      if (fusedCost > 1.5 * this.meta.config.targetDim && process.env.PBAS_FUSED !== '1') return null
      const graph = buildFusedGraph(b.folded, b.inputNorm, taps.map((t) => b.taps.indexOf(t)), taps.map((t) => b.channels[t]), this.extractor.embed, hw)
      return FusedInference.create(ort, graph)
    })()
    return this.fused
  }

  /** 'fused-onnx' when the whole model runs as one onnxruntime graph, else 'steps'. */
  async inferencePath(): Promise<'fused-onnx' | 'steps'> {
    return (await this.fusedSession()) ? 'fused-onnx' : 'steps'
  }

  /** Scores one batch of already preprocessed images: features, fused head, image score and pixel map. */
  async predictPrepared(images: PreparedImage[]): Promise<Prediction[]> {
    const size = this.meta.config.imageSize
    const grid = this.meta.grid
    const P = grid * grid
    const fused = await this.fusedSession()
    let scores: Float32Array
    if (fused) {
      const batch = new Float32Array(images.length * size * size * 3)
      images.forEach((im, i) => batch.set(im.data, i * size * size * 3))
      scores = await fused.scores(batch, images.length, size)
    } else scores = await this.head.score(await this.extractor.extractImages(images.map((i) => i.data), size))
    return images.map((image, i) => {
      const patch = scores.subarray(i * P, (i + 1) * P)
      let max = -Infinity
      for (const v of patch) if (v > max) max = v
      return { path: image.path, score: max, verdict: verdict(max, this.meta.thresholds.band), map: anomalyMap(patch, grid, size, this.meta.config.smoothSigma), size, image }
    })
  }

  /** Assembles a model from parts already in memory (benchmarks; a model fresh from training). */
  static fromParts(meta: ModelMeta, backbone: Backbone, arrays: Record<string, NamedArray>): PbasModel {
    const cfg = meta.config
    return new PbasModel(meta, backbone, extractorOf(backbone, cfg, meta.backbone.taps), new ScoringHead(arrays, cfg.targetDim, cfg.scoring, centreRule(cfg)))
  }

  dispose(): void {
    void this.fused?.then((f) => f?.dispose())
    this.head.dispose()
    this.extractor.backbone.dispose()
  }
}
