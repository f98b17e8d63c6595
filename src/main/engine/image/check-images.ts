// Decodes each of a list of images (in the engine worker) and says which cannot be used and why.
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import type { PhotoSize } from '../../../shared/image/coverage'
import { ImageReadError, readImageSize, verifyImage } from './open-image'

/** One image's check: `problem` is null when it decodes, else the reason (naming the file). */
export interface ImageCheck {
  path: string
  problem: string | null
}

/** Decodes every image fully (a truncated file fails here, not in training); cancellable, with progress. */
export async function checkImages(paths: readonly string[], opts: JobOptions = {}): Promise<ImageCheck[]> {
  const eta = new EtaTracker('check', paths.length)
  const out: ImageCheck[] = []
  for (const [i, path] of paths.entries()) {
    throwIfCancelled(opts.signal)
    try {
      await verifyImage(path)
      out.push({ path, problem: null })
    } catch (err) {
      out.push({ path, problem: err instanceof Error ? err.message : String(err) })
    }
    opts.onProgress?.(eta.update(i + 1, path))
  }
  return out
}

/** Each readable photo's oriented size, in order (headers only); unreadable ones are left out (training reports those). */
export async function readableSizes(paths: readonly string[]): Promise<{ path: string; width: number; height: number }[]> {
  const out: { path: string; width: number; height: number }[] = []
  for (const path of paths) {
    const size = await readImageSize(path).catch((err: unknown) => (err instanceof ImageReadError ? null : Promise.reject(err)))
    if (size) out.push({ path, ...size })
  }
  return out
}

/** The oriented sizes of photos, counted (headers only); unreadable ones are left out (training reports those). */
export async function photoSizes(paths: readonly string[]): Promise<PhotoSize[]> {
  const counts = new Map<string, PhotoSize>()
  for (const info of await readableSizes(paths)) {
    const key = `${info.width}x${info.height}`
    const c = counts.get(key) ?? { width: info.width, height: info.height, count: 0 }
    c.count++
    counts.set(key, c)
  }
  return [...counts.values()]
}
