import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { initBackend } from '../backend/select-backend'
import { loadTfjsBackbone, parseDescriptor } from '../backbone/tfjs-backbone'
import { FeatureExtractor } from './feature-extractor'
import { extractFeatures } from './extract-features'
import { DiskFeatureCache, MemoryFeatureCache } from './feature-cache'
import { CancelledError } from '../util/job'
import { REPO_ROOT } from '../../../test-support/shared'
import { GRAPH_TAPS, writeMobileNetLikeLayersModel, writeTinyGraphModel } from '../../../test-support/tfjs-models'
import { writeSyntheticProduct } from '../demo/synthetic-product'

const descriptor = (name: string) =>
  parseDescriptor(JSON.parse(readFileSync(join(REPO_ROOT, 'resources/backbones', `${name}.json`), 'utf8')), name)
let work: string
/** A generated product's training image (the real-image version of these checks is feature-extractor.real.test.ts). */
const part = (p: string) => join(work, 'product', p)
const preprocess = { resize: 256, crop: 256, fit: 'crop' as const }

describe('E_phi with tfjs backbones (generated models and images)', () => {
  beforeAll(async () => {
    await initBackend()
    work = await mkdtemp(join(tmpdir(), 'pbas-fx-'))
    await writeSyntheticProduct(join(work, 'product'), { size: 256, trainGood: 4, testGood: 0, testScratch: 0, testDent: 0, seed: 3 })
    await writeMobileNetLikeLayersModel(join(work, 'mobilenet_v1_imagenet'))
    writeTinyGraphModel(join(work, 'graph'))
  })
  afterAll(async () => {
    await rm(work, { recursive: true, force: true })
  })

  it('MobileNetV1-shaped layers model: [H*W, target_dim] features for an image, no tensors left behind', async () => {
    const backbone = await loadTfjsBackbone(join(work, 'mobilenet_v1_imagenet'), descriptor('mobilenet_v1_imagenet'))
    const before = tf.memory().numTensors
    const ex = new FeatureExtractor(backbone)
    const res = await extractFeatures({ paths: [part('train/good/000.png')], extractor: ex, preprocess })
    expect(tf.memory().numTensors).toBe(before)
    expect(res.grid).toBe(32) // conv_pw_5 has stride 8
    expect(res.features[0].length).toBe(32 * 32 * 1536)
    // Features of a real picture: finite, not constant.
    const f = res.features[0]
    let min = Infinity
    let max = -Infinity
    let finite = true
    for (const v of f) {
      finite &&= Number.isFinite(v)
      min = Math.min(min, v)
      max = Math.max(max, v)
    }
    expect(finite).toBe(true)
    expect(max - min).toBeGreaterThan(0.1)
    backbone.dispose()
  })

  it('graph model: size-free input (placeholder pinned to 64 px), taps by node name', async () => {
    const backbone = await loadTfjsBackbone(join(work, 'graph'))
    const ex = new FeatureExtractor(backbone, { embed: { patchSize: 3, pretrainDim: 256, targetDim: 256 } })
    const res = await extractFeatures({ paths: [part('train/good/001.png')], extractor: ex, preprocess: { resize: 128, crop: 128, fit: 'crop' } })
    expect(backbone.defaultTaps).toEqual([...GRAPH_TAPS])
    expect(res.grid).toBe(16)
    expect(res.features[0].length).toBe(16 * 16 * 256)
    backbone.dispose()
  })

  it('caches features (memory and disk), reports progress with ETA and can be cancelled', async () => {
    const backbone = await loadTfjsBackbone(join(work, 'mobilenet_v1_imagenet'), descriptor('mobilenet_v1_imagenet'))
    const ex = new FeatureExtractor(backbone, { embed: { patchSize: 3, pretrainDim: 64, targetDim: 64 } })
    const paths = ['000', '001', '002', '003'].map((s) => part(`train/good/${s}.png`))
    const small = { resize: 64, crop: 64, fit: 'crop' as const }
    const events: { done: number; etaSeconds: number | null }[] = []
    const mem = new MemoryFeatureCache()
    const first = await extractFeatures({ paths, extractor: ex, preprocess: small, batchSize: 2, cache: mem }, { onProgress: (e) => events.push(e) })
    expect(events.map((e) => e.done)).toEqual([0, 2, 4])
    expect(events[events.length - 1].etaSeconds).toBe(0)
    const again = await extractFeatures({ paths, extractor: ex, preprocess: small, cache: mem })
    expect(again.cacheHits).toBe(4)
    expect(again.features[3]).toEqual(first.features[3])
    const dir = await mkdtemp(join(tmpdir(), 'pbas-cache-'))
    const disk = new DiskFeatureCache(dir)
    await extractFeatures({ paths, extractor: ex, preprocess: small, cache: disk })
    const fromDisk = await extractFeatures({ paths, extractor: ex, preprocess: small, cache: new DiskFeatureCache(dir) })
    expect(fromDisk.cacheHits).toBe(4)
    expect(Array.from(fromDisk.features[2])).toEqual(Array.from(first.features[2]))
    await rm(dir, { recursive: true })
    const ac = new AbortController()
    ac.abort()
    await expect(extractFeatures({ paths, extractor: ex, preprocess: small }, { signal: ac.signal })).rejects.toThrow(CancelledError)
    backbone.dispose()
  })
})
