// Data set fingerprint: which exact training images a model learnt from.
import { createHash } from 'node:crypto'
import { relative } from 'node:path'
import { readRegularFile } from '../util/file-policy'

/** sha256 over the relative path and content of every image, in listing order. */
export async function datasetFingerprint(root: string, paths: readonly string[]): Promise<string> {
  const h = createHash('sha256')
  for (const p of paths) {
    h.update(relative(root, p))
    h.update('\0')
    h.update(createHash('sha256').update(await readRegularFile(p, 'image')).digest())
  }
  return h.digest('hex')
}
