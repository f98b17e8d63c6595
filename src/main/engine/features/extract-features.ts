// Job: E_phi features for a list of image files, batched, cached, cancellable, with progress and ETA.
import { loadImage } from '../image/preprocess'
import type { PreprocessOptions } from '../image/geometry'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import type { FeatureExtractor } from './feature-extractor'
import { featureKey, type FeatureCache } from './feature-cache'

/** Inputs of a feature-extraction job. */
export interface ExtractJob {
  paths: readonly string[]
  extractor: FeatureExtractor
  preprocess: PreprocessOptions
  batchSize?: number
  /** when given, features already cached are reused and new ones stored */
  cache?: FeatureCache
  /** false: do not hold the features in the result (they are in `cache`; read them back by `keys`) */
  retain?: boolean
}

/** Per-image result: [grid^2 * D] row-major float32. */
export interface ExtractResult {
  features: Float32Array[]
  grid: number
  dim: number
  cacheHits: number
  seconds: number
  /** cache key per path (when a cache was given) */
  keys: string[]
}

const EMPTY = new Float32Array(0)

/** Extracts features for every path (in order). Progress stage: 'features'. */
export async function extractFeatures(job: ExtractJob, opts: JobOptions = {}): Promise<ExtractResult> {
  const { paths, extractor, preprocess } = job
  const batchSize = job.batchSize ?? 8
  const grid = extractor.gridSize(preprocess.crop)
  const config = {
    backbone: extractor.backbone.id,
    weights: extractor.backbone.weightsChecksum,
    taps: extractor.taps,
    embed: extractor.embed,
    preprocess,
  }
  const started = Date.now()
  const eta = new EtaTracker('features', paths.length)
  const out: Float32Array[] = new Array(paths.length)
  let hits = 0
  const keys = job.cache ? await Promise.all(paths.map((p) => featureKey(p, config))) : []
  const todo: number[] = []
  for (let i = 0; i < paths.length; i++) {
    // Not retained: a cheap presence check; the checksum is verified when the features are read.
    const hit = job.retain === false && job.cache?.has ? await job.cache.has(keys[i]) : undefined
    const cached = hit === undefined && job.cache ? await job.cache.get(keys[i]) : undefined
    if (hit || cached) {
      out[i] = job.retain === false || !cached ? EMPTY : cached
      hits++
    } else todo.push(i)
  }
  let done = hits
  opts.onProgress?.(eta.update(done))
  for (let b = 0; b < todo.length; b += batchSize) {
    throwIfCancelled(opts.signal)
    const idx = todo.slice(b, b + batchSize)
    const images = await Promise.all(idx.map((i) => loadImage(paths[i], preprocess)))
    const flat = await extractor.extractImages(
      images.map((im) => im.data),
      preprocess.crop,
    )
    const per = grid * grid * extractor.dim
    for (let k = 0; k < idx.length; k++) {
      const f = flat.slice(k * per, (k + 1) * per)
      out[idx[k]] = job.retain === false && job.cache ? EMPTY : f
      if (job.cache) await job.cache.set(keys[idx[k]], f)
    }
    done += idx.length
    opts.onProgress?.(eta.update(done, paths[idx[idx.length - 1]]))
  }
  return { features: out, grid, dim: extractor.dim, cacheHits: hits, seconds: (Date.now() - started) / 1000, keys }
}

