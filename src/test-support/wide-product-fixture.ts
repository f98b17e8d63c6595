// The generated wide product as a vitest fixture: written once per test file under a temporary folder, removed after.
import { afterAll, beforeAll } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../main/engine/backend/select-backend'
import { writeWideProduct } from './wide-product'
import type { PbasModel, Prediction } from '../main/engine/pipeline/predict'

/** Registers the set-up and clean-up; the accessors work inside tests (after beforeAll). */
export function useWideProduct(prefix: string) {
  let dir = ''
  beforeAll(async () => {
    await initBackend()
    dir = await mkdtemp(join(tmpdir(), prefix))
    await writeWideProduct(join(dir, 'strip'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const data = () => join(dir, 'strip')
  const photos = (sub: string, n: number) => Array.from({ length: n }, (_, k) => join(data(), sub, `${String(k).padStart(3, '0')}.png`))
  return {
    /** the temporary folder (models and other outputs go here) */
    dir: () => dir,
    data,
    /** the first `n` photos of a sub-folder, e.g. 'test/pit' */
    photos,
    /** The model's predictions of the test split's 4 good and 3 pitted parts, and the worst good score. */
    async scoreTestParts(model: PbasModel): Promise<{ good: Prediction[]; pits: Prediction[]; worstGood: number }> {
      const good = await model.predict(photos('test/good', 4))
      const pits = await model.predict(photos('test/pit', 3))
      return { good, pits, worstGood: Math.max(...good.map((p) => p.score)) }
    },
  }
}
