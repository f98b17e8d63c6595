// Decodes each of a list of images (in the engine worker) and says which cannot be used and why.
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import { verifyImage } from './open-image'

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
