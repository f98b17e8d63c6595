// Job: E_phi features for a list of image files, batched, cached, cancellable, with progress and ETA.
import { inputCount, loadImage, networkInput, type PreparedImage } from '../image/preprocess'
import { ImageReadError } from '../image/open-image'
import type { PreprocessOptions } from '../../../shared/image/geometry'
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
  /** sees every image this job decodes (e.g. for the nearest-good pool), so no image is read twice */
  onImage?: (image: PreparedImage) => void
  /** leave unreadable images out (listed in `skipped`) instead of failing the job */
  skipUnreadable?: boolean
}

/** Per-image result: [inputs * grid^2 * D] row-major float32 (inputs: a tiled photo's tile count, else 1). */
export interface ExtractResult {
  features: Float32Array[]
  grid: number
  dim: number
  /** network inputs per image (tiles), the same for every image of the job; null when every image came from the cache */
  inputs: number | null
  cacheHits: number
  seconds: number
  /** cache key per path (when a cache was given) */
  keys: string[]
  /** the paths whose features these are (all of them unless unreadable ones were skipped) */
  paths: string[]
  /** images left out because they could not be read, with the reason */
  skipped: { path: string; message: string }[]
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
  const out: (Float32Array | null)[] = new Array(paths.length).fill(null)
  const skipped: ExtractResult['skipped'] = []
  const skip = (i: number, err: unknown) => {
    if (!job.skipUnreadable || !(err instanceof ImageReadError)) throw err
    skipped.push({ path: paths[i], message: err.message })
  }
  let hits = 0
  let inputs: number | null = null
  // A file that cannot even be stat'ed for its key is as unreadable as one that cannot be decoded.
  const keys = job.cache ? await Promise.all(paths.map((p) => featureKey(p, config).catch(() => ''))) : []
  const todo: number[] = []
  for (let i = 0; i < paths.length; i++) {
    const key = keys[i]
    // Not retained: a cheap presence check; the checksum is verified when the features are read.
    const hit = key && job.retain === false && job.cache?.has ? await job.cache.has(key) : undefined
    const cached = key && hit === undefined && job.cache ? await job.cache.get(key) : undefined
    if (hit || cached) {
      out[i] = job.retain === false || !cached ? EMPTY : cached
      hits++
    } else todo.push(i)
  }
  let done = hits
  opts.onProgress?.(eta.update(done))
  // A pipeline: the next batch is decoded and this batch's cache entries are written while the backbone runs
  // (onnxruntime computes off the main thread); at most one batch of each is in flight.
  const load = (b: number) => {
    const batch = todo.slice(b, b + batchSize)
    const loaded = Promise.all(batch.map((i) => loadImage(paths[i], preprocess).catch((err: unknown) => (skip(i, err), null))))
    loaded.catch(() => {}) // awaited below; a cancelled run must not leave it unhandled
    return { batch, loaded }
  }
  let next = todo.length ? load(0) : null
  let writing: Promise<unknown> = Promise.resolve()
  for (let b = 0; b < todo.length; b += batchSize) {
    throwIfCancelled(opts.signal)
    const { batch, loaded: pending } = next!
    const loaded = await pending
    next = b + batchSize < todo.length ? load(b + batchSize) : null
    const idx = batch.filter((_, k) => loaded[k] !== null)
    const images = loaded.filter((x): x is PreparedImage => x !== null)
    if (job.onImage) images.forEach(job.onImage)
    done += batch.length - idx.length
    if (!idx.length) continue
    // A tiled photo is several inputs; every photo of a job must be as many (one model, one patch layout).
    for (const im of images) {
      const n = inputCount(im)
      if (inputs !== null && n !== inputs) throw new Error(`${im.path} is ${n} tiles where the other images are ${inputs}; tiled images of one job must have one size`)
      inputs = n
    }
    const flat = await extractor.extractImages(images.map(networkInput), preprocess.crop)
    const per = (inputs ?? 1) * grid * grid * extractor.dim
    // Not retained: a view is enough for the cache write, and saves copying megabytes per image.
    const retained = !(job.retain === false && job.cache)
    const views = idx.map((_, k) => (retained ? flat.slice(k * per, (k + 1) * per) : flat.subarray(k * per, (k + 1) * per)))
    idx.forEach((i, k) => (out[i] = retained ? views[k] : EMPTY))
    await writing
    const cache = job.cache
    writing = cache ? Promise.all(idx.map((i, k) => cache.set(keys[i], views[k]))) : Promise.resolve()
    writing.catch(() => {}) // awaited before the next batch's writes and before returning
    done += idx.length
    opts.onProgress?.(eta.update(done, paths[idx[idx.length - 1]]))
  }
  await writing
  const kept = paths.flatMap((_, i) => (out[i] ? [i] : []))
  return {
    features: kept.map((i) => out[i]!), grid, dim: extractor.dim, inputs, cacheHits: hits, seconds: (Date.now() - started) / 1000,
    keys: job.cache ? kept.map((i) => keys[i]) : [], paths: kept.map((i) => paths[i]), skipped,
  }
}

