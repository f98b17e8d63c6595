// Real-data checks (npm run test:real): MVTec bottle and BSData pitting as the data-set reader sees them; read-dataset.test.ts checks the same on generated sets.
import { describe, expect, it } from 'vitest'
import { readDataset } from './read-dataset'
import { checkDataset, formatSummary } from './check-dataset'
import { HAS_SHARED, sharedPath } from '../../../test-support/shared'

describe.skipIf(!HAS_SHARED)('real data sets', () => {
  it('mvtec_bottle: 209 train good, 20 test good, 63 defective in 3 types, all masks, sorted', async () => {
    const s = await checkDataset(sharedPath('datasets/mvtec_bottle'))
    expect(s.layout).toBe('mvtec')
    expect([s.trainGood, s.testGood, s.testDefect]).toEqual([209, 20, 63])
    expect(s.defectTypes).toEqual(['broken_large', 'broken_small', 'contamination'])
    expect(s.counts.filter((c) => c.defectType !== 'good').every((c) => c.masks === c.images)).toBe(true)
    expect(s.problems).toEqual([])
    expect(s.ok).toBe(true)
    const ds = await readDataset(sharedPath('datasets/mvtec_bottle'))
    const paths = ds.samples.map((x) => x.path)
    expect(ds.samples[0].path.endsWith('train/good/000.png')).toBe(true)
    expect(paths.filter((p) => p.includes('/train/'))).toEqual([...paths.filter((p) => p.includes('/train/'))].sort())
    expect(formatSummary(s)).toContain('train good: 209   test good: 20   test defective: 63 in 3 type(s)')
  })

  it('bsdata_pitting: 553 / 117 / 167 pitting, wide 576x234 JPEGs with masks', async () => {
    const s = await checkDataset(sharedPath('datasets/bsdata_pitting'))
    expect([s.trainGood, s.testGood, s.testDefect]).toEqual([553, 117, 167])
    expect(s.defectTypes).toEqual(['pitting'])
    expect(s.imageSizes).toEqual([{ width: 576, height: 234, count: 837 }])
    expect(s.ok).toBe(true)
  })
})
