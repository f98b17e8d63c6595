import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { loadTfjsBackbone, parseDescriptor } from '../backbone/tfjs-backbone'
import type { Backbone } from '../backbone/backbone'
import { loadImage } from '../image/preprocess'
import { resolveConfig } from '../pbas/config'
import { trainPbas } from '../pipeline/train'
import { REPO_ROOT } from '../../../test-support/shared'
import { writeMobileNetLikeLayersModel } from '../../../test-support/tfjs-models'
import { writeSyntheticProduct } from '../demo/synthetic-product'
import { extractFeatures } from './extract-features'
import { DiskFeatureCache, MemoryFeatureCache } from './feature-cache'
import { FeatureExtractor } from './feature-extractor'
import { StreamedFeatures } from './streamed-features'

const small = { resize: 64, crop: 64, fit: 'crop' as const }
/** Five generated training images, written in beforeAll. */
let paths: string[] = []
const sameBits = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))

describe('training features streamed from the disk cache', () => {
  let backbone: Backbone
  let ex: FeatureExtractor
  let dir: string
  beforeAll(async () => {
    await initBackend()
    const descriptor = parseDescriptor(JSON.parse(readFileSync(join(REPO_ROOT, 'resources/backbones/mobilenet_v1_imagenet.json'), 'utf8')), 'mobilenet_v1_imagenet')
    dir = await mkdtemp(join(tmpdir(), 'pbas-stream-'))
    await writeSyntheticProduct(join(dir, 'product'), { size: 128, trainGood: 5, testGood: 0, testScratch: 0, testDent: 0, seed: 11 })
    paths = ['000', '001', '002', '003', '004'].map((s) => join(dir, 'product', 'train', 'good', `${s}.png`))
    await writeMobileNetLikeLayersModel(join(dir, 'mobilenet_v1_imagenet'))
    backbone = await loadTfjsBackbone(join(dir, 'mobilenet_v1_imagenet'), descriptor)
    ex = new FeatureExtractor(backbone, { embed: { patchSize: 3, pretrainDim: 64, targetDim: 64 } })
  })
  afterAll(async () => {
    backbone.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('gives bit-identical features to the in-memory path; a damaged or truncated entry is detected and rebuilt', async () => {
    const mem = await extractFeatures({ paths, extractor: ex, preprocess: small, batchSize: 2, cache: new MemoryFeatureCache() })
    const disk = new DiskFeatureCache(join(dir, 'cache'))
    const ondisk = await extractFeatures({ paths, extractor: ex, preprocess: small, batchSize: 2, cache: disk, retain: false })
    expect(ondisk.features.every((f) => f.length === 0)).toBe(true) // nothing held in memory
    const per = mem.features[0].length
    const rebuilt: { i: number; found: string }[] = []
    const rebuild = async (i: number) => ex.extractImages([(await loadImage(paths[i], small)).data], small.crop)
    const source = new StreamedFeatures(disk, ondisk.keys, per, rebuild, (i, _file, found) => rebuilt.push({ i, found }))
    const idx = [3, 0, 4, 1, 2]
    const batch = new Float32Array(idx.length * per)
    await source.readBatch(idx, batch, per)
    idx.forEach((i, k) => expect(sameBits(batch.subarray(k * per, (k + 1) * per), mem.features[i]), `image ${i}`).toBe(true))
    expect(rebuilt).toEqual([])

    // Flip one bit of image 1's values and cut image 4's file short: both fail their check and are re-extracted.
    const f1 = disk.file(ondisk.keys[1])
    const bytes = await readFile(f1)
    bytes[bytes.length - 7] ^= 0x10
    await writeFile(f1, bytes)
    await truncate(disk.file(ondisk.keys[4]), 1000)
    batch.fill(0)
    await source.readBatch(idx, batch, per)
    idx.forEach((i, k) => expect(sameBits(batch.subarray(k * per, (k + 1) * per), mem.features[i]), `image ${i} after rebuild`).toBe(true))
    expect(rebuilt.sort((a, b) => a.i - b.i)).toEqual([{ i: 1, found: 'corrupt' }, { i: 4, found: 'corrupt' }])
    // The rebuilt entries are whole again, and a fresh cache on the folder reads them without rebuilding.
    expect(await new DiskFeatureCache(disk.dir).get(ondisk.keys[1])).toEqual(mem.features[1])
    const again = await extractFeatures({ paths, extractor: ex, preprocess: small, cache: new DiskFeatureCache(disk.dir), retain: false })
    expect(again.cacheHits).toBe(paths.length)
    // A damaged entry found at extraction time (retained features) is also rebuilt there.
    await writeFile(f1, bytes)
    const recheck = new DiskFeatureCache(disk.dir)
    const retained = await extractFeatures({ paths, extractor: ex, preprocess: small, cache: recheck })
    expect(retained.cacheHits).toBe(paths.length - 1)
    expect(recheck.corrupt).toEqual([f1])
    expect(sameBits(retained.features[1], mem.features[1])).toBe(true)
  })

  it('trains to the same weights from the streamed cache as from memory', async () => {
    const disk = new DiskFeatureCache(join(dir, 'cache'))
    const mem = await extractFeatures({ paths, extractor: ex, preprocess: small, cache: new MemoryFeatureCache() })
    const ondisk = await extractFeatures({ paths, extractor: ex, preprocess: small, cache: disk, retain: false })
    const P = mem.grid * mem.grid
    const config = resolveConfig({ targetDim: 64, pretrainDim: 64, discHidden: 32, batchSize: 2, epochs: 2 })
    const fail = async () => {
      throw new Error('no rebuild expected')
    }
    const a = await trainPbas({ train: mem.features, patches: P, config })
    const b = await trainPbas({ train: new StreamedFeatures(disk, ondisk.keys, P * 64, fail), patches: P, config })
    for (const k of Object.keys(a.params)) expect(sameBits(a.params[k].data, b.params[k].data), k).toBe(true)
    expect(sameBits(a.centre.data, b.centre.data)).toBe(true)
  })
})
