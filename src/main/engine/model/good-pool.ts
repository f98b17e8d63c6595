// The "nearest good image" pool stored with a model: tiny pixel descriptors of the good images it learnt from.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { readBundle, writeBundle } from '../util/tensor-bundle'
import { MODEL_FILES } from './paths'

/** Descriptors (one row each) and the image each came from. */
export interface GoodPool {
  paths: string[]
  descriptors: Float32Array[]
}

/** Writes the pool into a model folder (the model's own save calls this inside its temp folder). */
export async function writeGoodPool(modelDir: string, pool: GoodPool): Promise<void> {
  const width = pool.descriptors[0]?.length ?? 0
  const data = new Float32Array(pool.descriptors.length * width)
  pool.descriptors.forEach((d, i) => data.set(d, i * width))
  await writeBundle(join(modelDir, MODEL_FILES.goodPool), { paths: pool.paths }, { descriptors: { shape: [pool.descriptors.length, width], data } })
}

/** Reads a model's pool; an empty pool for models saved before pools existed. */
export async function readGoodPool(modelDir: string): Promise<GoodPool> {
  const file = join(modelDir, MODEL_FILES.goodPool)
  if (!existsSync(file)) return { paths: [], descriptors: [] }
  const { meta, arrays } = await readBundle<{ paths: string[] }>(file)
  const [n, width] = arrays.descriptors.shape
  return { paths: meta.paths, descriptors: Array.from({ length: n }, (_, i) => arrays.descriptors.data.subarray(i * width, (i + 1) * width)) }
}
