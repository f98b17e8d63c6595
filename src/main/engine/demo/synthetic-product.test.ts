import { describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeSyntheticProduct } from './synthetic-product'
import { checkDataset } from '../data/check-dataset'
import { loadMask } from '../image/preprocess'

describe('synthetic demo product', () => {
  it('is a valid MVTec-layout data set, deterministic, with non-empty masks on every defect', async () => {
    const spec = { size: 64, trainGood: 3, testGood: 2, testScratch: 2, testDent: 2, seed: 3 }
    const a = await mkdtemp(join(tmpdir(), 'pbas-syn-'))
    const b = await mkdtemp(join(tmpdir(), 'pbas-syn-'))
    await writeSyntheticProduct(a, spec)
    await writeSyntheticProduct(b, spec)
    const s = await checkDataset(a)
    expect([s.ok, s.trainGood, s.testGood, s.testDefect, s.defectTypes]).toEqual([true, 3, 2, 4, ['dent', 'scratch']])
    expect((await readFile(join(a, 'test/dent/001.png'))).equals(await readFile(join(b, 'test/dent/001.png')))).toBe(true)
    for (const p of ['ground_truth/dent/000_mask.png', 'ground_truth/scratch/001_mask.png']) {
      const m = await loadMask(join(a, p), { width: 64, height: 64 }, { resize: 64, crop: 64, fit: 'crop' })
      expect(m.reduce((x, y) => x + y, 0), p).toBeGreaterThan(5)
    }
    await rm(a, { recursive: true })
    await rm(b, { recursive: true })
  })
})
