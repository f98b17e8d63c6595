import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readDataset } from './read-dataset'
import { checkDataset, formatSummary } from './check-dataset'
import { DatasetError } from './types'
import sharp from 'sharp'
import { writeSyntheticProduct } from '../demo/synthetic-product'
import { writePng, writeTree } from '../../../test-support/make-images'

const made: string[] = []
const fresh = async () => {
  const d = await mkdtemp(join(tmpdir(), 'pbas-ds-'))
  made.push(d)
  return d
}
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('generated data sets (the real ones: read-dataset.real.test.ts)', () => {
  it('a synthetic product: 12 train good, 4 test good, 6 defective in 2 types, all masks, sorted', async () => {
    const dir = join(await fresh(), 'product')
    await writeSyntheticProduct(dir, { size: 48, trainGood: 12, testGood: 4, testScratch: 3, testDent: 3, seed: 2 })
    const s = await checkDataset(dir)
    expect(s.layout).toBe('mvtec')
    expect([s.trainGood, s.testGood, s.testDefect]).toEqual([12, 4, 6])
    expect(s.defectTypes).toEqual(['dent', 'scratch'])
    expect(s.counts.filter((c) => c.defectType !== 'good').every((c) => c.masks === c.images)).toBe(true)
    expect(s.problems).toEqual([])
    expect(s.ok).toBe(true)
    const ds = await readDataset(dir)
    const paths = ds.samples.map((x) => x.path)
    expect(ds.samples[0].path.endsWith('train/good/000.png')).toBe(true)
    expect(paths.filter((p) => p.includes('/train/'))).toEqual([...paths.filter((p) => p.includes('/train/'))].sort())
    expect(formatSummary(s)).toContain('train good: 12   test good: 4   test defective: 6 in 2 type(s)')
  })

  it('wide JPEGs with masks: counts, one defect type and the image size', async () => {
    const dir = await fresh()
    const jpeg = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r: 90, g: 100, b: 110 } } }).jpeg().toBuffer()
    const files: [string, Buffer][] = []
    for (let i = 0; i < 5; i++) files.push([`train/good/${i}.jpg`, await jpeg(96, 39)])
    for (let i = 0; i < 2; i++) files.push([`test/good/${i}.jpg`, await jpeg(96, 39)])
    for (let i = 0; i < 3; i++) {
      files.push([`test/pitting/${i}.jpg`, await jpeg(96, 39)])
      files.push([`ground_truth/pitting/${i}_mask.png`, await sharp({ create: { width: 96, height: 39, channels: 3, background: { r: 0, g: 0, b: 0 } } }).greyscale().png().toBuffer()])
    }
    for (const [f, b] of files) {
      await mkdir(join(dir, f, '..'), { recursive: true })
      await writeFile(join(dir, f), b)
    }
    const s = await checkDataset(dir)
    expect([s.trainGood, s.testGood, s.testDefect]).toEqual([5, 2, 3])
    expect(s.defectTypes).toEqual(['pitting'])
    expect(s.imageSizes).toEqual([{ width: 96, height: 39, count: 10 }])
    expect(s.ok).toBe(true)
  })
})

describe('layouts', () => {
  it('reads an MVTec root with several categories only with --category, and MPDD as the same layout', async () => {
    const root = await fresh()
    await writeTree(root, ['a/train/good/0.png', 'a/test/good/1.png', 'b/train/good/0.png', 'b/test/crack/0.png', 'b/ground_truth/crack/0_mask.png'])
    await expect(readDataset(root)).rejects.toThrow(/several categories \(a, b\); choose one with --category/)
    const b = await readDataset(root, { category: 'b', layout: 'mpdd' })
    expect(b.layout).toBe('mpdd')
    expect(b.samples.map((s) => [s.split, s.defectType, !!s.maskPath])).toEqual([['train', 'good', false], ['test', 'crack', true]])
    await expect(readDataset(root, { category: 'zz' })).rejects.toThrow(/No category 'zz'.*Categories found: a, b/)
  })

  it('reads VisA from its split csv, from the root or a category folder', async () => {
    const root = await fresh()
    await writeTree(root, ['candle/Data/Images/Normal/0000.png', 'candle/Data/Images/Normal/0001.png', 'candle/Data/Images/Anomaly/000.png', 'candle/Data/Masks/Anomaly/000.png'])
    await mkdir(join(root, 'split_csv'))
    await writeFile(
      join(root, 'split_csv/1cls.csv'),
      'object,split,label,image,mask\ncandle,train,normal,candle/Data/Images/Normal/0000.png,\ncandle,test,normal,candle/Data/Images/Normal/0001.png,\ncandle,test,anomaly,candle/Data/Images/Anomaly/000.png,candle/Data/Masks/Anomaly/000.png\n',
    )
    const s = await checkDataset(root)
    expect([s.layout, s.category, s.trainGood, s.testGood, s.testDefect]).toEqual(['visa', 'candle', 1, 1, 1])
    const viaCat = await readDataset(join(root, 'candle'))
    expect(viaCat.samples).toHaveLength(3)
  })

  it('reads a plain folder: good/, defect/<type>/ and masks/', async () => {
    const root = await fresh()
    await writeTree(root, ['good/a.png', 'good/b.png', 'defect/scratch/c.png', 'defect/d.png', 'masks/c.png', 'masks/d_mask.png'])
    const s = await checkDataset(root)
    expect(s.layout).toBe('plain')
    expect(s.counts).toEqual([
      { split: 'train', defectType: 'good', images: 2, masks: 0 },
      { split: 'test', defectType: 'defect', images: 1, masks: 1 },
      { split: 'test', defectType: 'scratch', images: 1, masks: 1 },
    ])
  })
})

describe('problems name the file and say what is expected', () => {
  it('missing mask, mismatched mask size and an unreadable image are errors', async () => {
    const root = await fresh()
    await writeTree(root, ['train/good/0.png', 'test/crack/0.png', 'test/crack/1.png', 'test/crack/2.png', 'ground_truth/crack/0_mask.png'])
    await writePng(join(root, 'ground_truth/crack/1_mask.png'), 8, 8, 255)
    await writeFile(join(root, 'test/crack/2.png'), 'not a png')
    await writePng(join(root, 'ground_truth/crack/2_mask.png'), 16, 16, 255)
    const s = await checkDataset(root)
    expect(s.ok).toBe(false)
    const msg = s.problems.map((p) => `${p.path}: ${p.message}`).join('\n')
    expect(msg).toContain(`${join(root, 'ground_truth/crack/1_mask.png')}: mask is 8x8 but its image`)
    expect(msg).toMatch(/test\/crack\/2\.png: Cannot read image/)
    await rm(join(root, 'ground_truth/crack/0_mask.png'))
    const s2 = await checkDataset(root)
    expect(s2.problems.map((p) => p.message).join('\n')).toContain(`no mask; expected ${join(root, 'ground_truth/crack/0_mask.png')}`)
  })

  it('an empty training split, an unknown layout and a missing folder are DatasetErrors', async () => {
    const root = await fresh()
    await mkdir(join(root, 'train/good'), { recursive: true })
    await expect(readDataset(root)).rejects.toThrow(/No training images in .*train\/good: add photos of good parts there/)
    const other = await fresh()
    await writePng(join(other, 'photos/a.png'))
    await expect(readDataset(other)).rejects.toThrow(DatasetError)
    await expect(readDataset(other)).rejects.toThrow(/is not a data set folder I recognise. Expected one of: MVTec AD/)
    await expect(readDataset(join(other, 'nope'))).rejects.toThrow(/nope is not a folder/)
  })
})
