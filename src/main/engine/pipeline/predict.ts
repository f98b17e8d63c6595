// Inference with a saved model: E_phi -> patch scores -> image score (Eq. 11) and pixel map (Eq. 12).
import { loadBackbone, type BackboneContext } from '../backbone/load-backbone'
import type { Backbone } from '../backbone/backbone'
import type { FeatureExtractor } from '../features/feature-extractor'
import { centreRule, extractorOf, preprocessOf } from '../pbas/config-helpers'
import { inputCount, loadImage, networkBatch, networkInput, type PreparedImage } from '../image/preprocess'
import { tileGrid } from '../image/tiles'
import { tiledAnomalyMap, tiledMapOperators } from '../pbas/tiled-map'
import { tilingMisfit } from '../image/tiled-photos'
import { computeGeometry } from '../../../shared/image/geometry'
import { ImageReadError } from '../image/open-image'
import { verdict } from '../metrics/thresholds'
import { checkBackbone, loadModelFiles, ModelFileError, type ModelMeta } from '../model/model-file'
import { readGoodPool, type GoodPool } from '../model/good-pool'
import { modelMapRange } from '../review/map-range'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import type { NamedArray } from '../util/tensor-bundle'
import { anomalyMap } from '../pbas/anomaly-map'
import { ScoringHead } from '../pbas/scoring-head'
import { buildFusedGraph, FusedInference, type FusedParts } from '../pbas/fused-inference'
import { computeOrt } from '../backend/select-backend'
import type { Prediction } from '../pbas/prediction'
import { imageScore } from '../pbas/image-score'
import { RegionMasks } from '../image/region-cells'
import { InputError } from '../util/errors'
import type { InspectionRegion } from '../../../shared/image/region'

export type { Prediction } from '../pbas/prediction'

/** Options of {@link PbasModel.predict}: with `onUnreadable`, undecodable images are reported and skipped instead of failing the call. */
export interface PredictOptions extends JobOptions {
  onUnreadable?: (path: string, err: ImageReadError) => void
}

const WARM_UP = 'warm-up'

/** A loaded model ready to score images. */
export class PbasModel {
  private fused: Promise<FusedInference | null> | null = null
  private regionMasks: RegionMasks | null = null

  private constructor(
    readonly meta: ModelMeta,
    readonly backbone: Backbone,
    readonly extractor: FeatureExtractor,
    readonly head: ScoringHead,
    /** good images the model learnt from, for "nearest good image" (empty for older models) */
    readonly goodPool: GoodPool = { paths: [], descriptors: [] },
  ) {}

  /** Loads a model folder and the backbone it was trained with (picked and checked by weight checksum). */
  static async load(dir: string, ctx: BackboneContext): Promise<PbasModel> {
    const { meta, arrays } = await loadModelFiles(dir)
    const pool = await readGoodPool(dir)
    const backbone = await loadBackbone(meta.backbone.spec, { ...ctx, weightsSha256: meta.backbone.weightsChecksum })
    try {
      checkBackbone(meta, backbone.id, backbone.weightsChecksum)
      // The first tap sets the patch grid; an edited input size would no longer match the learnt centre.
      const grid = Math.ceil(meta.config.imageSize / (backbone.strides[meta.backbone.taps[0]] ?? NaN))
      if (grid !== meta.grid)
        throw new ModelFileError(`${dir}/model.json is inconsistent: an input of ${meta.config.imageSize} px gives a ${grid} x ${grid} patch grid, but the model was trained on ${meta.grid} x ${meta.grid}. Retrain or restore the model from a backup.`)
      return PbasModel.fromParts(meta, backbone, arrays, pool)
    } catch (err) {
      backbone.dispose()
      throw err
    }
  }

  get preprocess() {
    return preprocessOf(this.meta.config)
  }

  /** Scores images in batches and keeps every prediction; progress stage 'infer'. */
  async predict(paths: readonly string[], opts: PredictOptions = {}, inputsPerBatch = 8): Promise<Prediction[]> {
    const out: Prediction[] = []
    await this.predictEach(paths, async (batch) => void out.push(...batch), opts, inputsPerBatch)
    return out
  }

  /**
   * Scores images batch by batch and hands each batch to `onBatch` before the next one, so callers that
   * write files per image need not hold every decoded image at once. The next batch is decoded (sharp,
   * on its own threads) while the current one computes. Progress stage 'infer'.
   */
  async predictEach(paths: readonly string[], onBatch: (batch: Prediction[]) => Promise<void>, opts: PredictOptions = {}, inputsPerBatch = 8): Promise<void> {
    const eta = new EtaTracker('infer', paths.length)
    // A batch holds about `inputsPerBatch` network inputs: a tiled photo is several, so memory stays that of a batch.
    const batchSize = Math.max(1, Math.floor(inputsPerBatch / (this.meta.tiling?.tiles ?? 1)))
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
      if (images.length) await onBatch(await this.predictPrepared(images))
      const done = Math.min(paths.length, b + batchSize)
      opts.onProgress?.(eta.update(done, paths[done - 1]))
    }
  }

  /**
   * What a whole-model ONNX graph of this model is made of, or why there cannot be one: the graph needs a
   * torchvision ResNet (its folded convolutions) and discriminator scoring (the fused head).
   */
  async fusedParts(): Promise<{ parts: FusedParts } | { unsupported: string }> {
    const b = this.backbone
    if (!b.folded)
      return { unsupported: `its backbone ${b.id} is not a torchvision ResNet (tfjs models such as MobileNet cannot be written as an ONNX graph here); train the model with resnet18, resnet50 or wide_resnet50_2 to export it` }
    const head = await this.head.headWeights()
    if (!head) return { unsupported: `it scores patches by distance to the centre (scoring: '${this.meta.config.scoring}'), which the fused graph does not express; train it with scoring 'discriminator' to export it` }
    const taps = this.extractor.taps
    return { parts: { net: b.folded, norm: b.inputNorm, tapLayers: taps.map((t) => b.taps.indexOf(t)), channels: taps.map((t) => b.channels[t]), embed: this.extractor.embed, head } }
  }

  /** The score range heat maps are drawn over: the model's stored one, else the review level's half to the fail level (older models). */
  get mapRange(): { lo: number; hi: number } {
    return modelMapRange(this.meta)
  }

  /**
   * The whole model as one onnxruntime graph when possible (ResNet backbone on onnxruntime, discriminator
   * scoring); null otherwise. PBAS_FUSED=0 turns it off (the step-by-step path computes the same scores).
   */
  private fusedSession(): Promise<FusedInference | null> {
    this.fused ??= (async () => {
      const ort = computeOrt()
      const b = this.backbone
      if (!ort || b.runtime !== 'onnxruntime' || process.env.PBAS_FUSED === '0') return null
      const fp = await this.fusedParts()
      if (!('parts' in fp)) return null
      const taps = this.extractor.taps
      // Folding E_phi into the head turns a D-wide matMul into 3x3 convs over the backbone's channels:
      // cheaper for narrow backbones (ResNet18), dearer for wide ones (WRN50). Compare multiply counts per
      // patch; the step-by-step path also pays for E_phi in JavaScript, hence the 1.5 allowance.
      const p2 = this.meta.config.patchSize ** 2
      const base = b.strides[taps[0]]
      const fusedCost = taps.reduce((a, t) => a + (base / b.strides[t]) ** 2 * b.channels[t] * p2, 0)
      if (fusedCost > 1.5 * this.meta.config.targetDim && process.env.PBAS_FUSED !== '1') return null
      return FusedInference.create(ort, buildFusedGraph(fp.parts))
    })()
    return this.fused
  }

  /** 'fused-onnx' when the whole model runs as one onnxruntime graph, else 'steps'. */
  async inferencePath(): Promise<'fused-onnx' | 'steps'> {
    return (await this.fusedSession()) ? 'fused-onnx' : 'steps'
  }

  /** Scores one mid-grey image (a tiled model: one photo of its size), so sessions and kernels exist before the first real part arrives (stations). */
  async warmUp(): Promise<void> {
    const S = this.meta.config.imageSize
    const t = this.meta.tiling
    const [w, h] = t ? [t.photoWidth, t.photoHeight] : [S, S]
    const grey = (n: number) => new Float32Array(n * S * S * 3).fill(0.5)
    const tiles = t ? { grid: tileGrid(w, h, t.side), data: grey(t.tiles) } : undefined
    await this.predictPrepared([{ path: WARM_UP, data: grey(1), size: S, originalWidth: w, originalHeight: h, geometry: computeGeometry(w, h, this.preprocess), tiles }])
  }

  /**
   * Scores one batch of already preprocessed images: features, fused head, image score (the largest patch score,
   * over every tile of a tiled photo) and pixel map (a tiled photo's tiles stitched, over the whole photo).
   */
  async predictPrepared(images: PreparedImage[]): Promise<Prediction[]> {
    const size = this.meta.config.imageSize
    const grid = this.meta.grid
    const sigma = this.meta.config.smoothSigma
    for (const image of images) {
      const misfit = this.photoProblem(image)
      if (misfit) throw new InputError(misfit)
    }
    const fused = await this.fusedSession()
    let scores: Float32Array
    if (fused) {
      const batch = networkBatch(images)
      scores = await fused.scores(batch.data, batch.count, size)
    } else scores = await this.head.score(await this.extractor.extractImages(images.map(networkInput), size))
    let at = 0
    return images.map((image) => {
      const P = inputCount(image) * grid * grid
      const patch = this.inRegion(image, scores.subarray(at, (at += P)))
      const max = imageScore(patch, image.path)
      const map = image.tiles ? tiledAnomalyMap(patch, tiledMapOperators(image.tiles.grid, grid, size, sigma)) : anomalyMap(patch, grid, size, sigma)
      return { path: image.path, score: max, verdict: verdict(max, this.meta.thresholds.band), map, size, image }
    })
  }

  /**
   * Why this model cannot score the photo (the message names the file), or null: a region that does not fit it,
   * a tiled model's other photo size, or a photo preprocessed without the tiles the model needs.
   */
  photoProblem(image: PreparedImage): string | null {
    const t = this.meta.tiling
    if (t && !image.tiles) return `${image.path} was read without the tiles this model scores; read it with the model's preprocessing`
    if (!t && image.tiles) return `${image.path} was read as tiles but this model scores one square per photo`
    if (image.path === WARM_UP) return null
    return tilingMisfit(t, image.path, image.originalWidth, image.originalHeight) ?? this.regionProblem(image)
  }

  /** The photo size the model is made for (a tiled model's, else the one its region was drawn on), or null when any size goes. */
  get photoSize(): { width: number; height: number } | null {
    const t = this.meta.tiling
    const r = this.meta.region
    return t ? { width: t.photoWidth, height: t.photoHeight } : r ? { width: r.imageWidth, height: r.imageHeight } : null
  }

  /** The region's patch mask for photos of {@link photoSize} (the export's), or undefined without a region. */
  regionMask(): Uint8Array | undefined {
    const region = this.meta.region
    const size = this.photoSize
    return region && size ? this.masks(region).mask(size.width, size.height, `the model's region`) : undefined
  }

  /** Why the model's region cannot be applied to this photo (its message names the file), or null. */
  private regionProblem(image: PreparedImage): string | null {
    if (!this.meta.region || image.path === WARM_UP) return null
    try {
      this.masks(this.meta.region).mask(image.originalWidth, image.originalHeight, image.path)
      return null
    } catch (err) {
      if (err instanceof InputError) return err.message
      throw err
    }
  }

  private masks(region: InspectionRegion): RegionMasks {
    return (this.regionMasks ??= new RegionMasks(region, this.preprocess, this.meta.grid))
  }

  /** The image's patch scores with ignored patches at 0 (the model's region), or as they are without one. */
  private inRegion(image: PreparedImage, patch: Float32Array): Float32Array {
    const region = this.meta.region
    // The warm-up's grey square is not a photo of the product: nothing of it is ignored.
    if (!region || image.path === WARM_UP) return patch
    const mask = this.masks(region).mask(image.originalWidth, image.originalHeight, image.path)
    return patch.map((v, k) => (mask[k] ? v : 0))
  }

  /** Assembles a model from parts already in memory (benchmarks; a model fresh from training). */
  static fromParts(meta: ModelMeta, backbone: Backbone, arrays: Record<string, NamedArray>, pool?: GoodPool): PbasModel {
    const cfg = meta.config
    return new PbasModel(meta, backbone, extractorOf(backbone, cfg, meta.backbone.taps), new ScoringHead(arrays, cfg.targetDim, cfg.scoring, centreRule(cfg)), pool)
  }

  dispose(): void {
    void this.fused?.then((f) => f?.dispose())
    this.head.dispose()
    this.extractor.backbone.dispose()
  }
}
