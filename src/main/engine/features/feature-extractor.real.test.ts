// Real-data check (npm run test:real): the real MobileNetV1/V2 weights in ../shared on real bottle images; feature-extractor.test.ts checks the same on generated models and images.
import { beforeAll, describe, expect, it } from 'vitest'
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
import { HAS_SHARED, REPO_ROOT, sharedPath } from '../../../test-support/shared'

const descriptor = (name: string) =>
  parseDescriptor(JSON.parse(readFileSync(join(REPO_ROOT, 'resources/backbones', `${name}.json`), 'utf8')), name)
const bottle = (p: string) => sharedPath('datasets/mvtec_bottle', p)
const preprocess = { resize: 256, crop: 256, fit: 'crop' as const }

describe.skipIf(!HAS_SHARED)('E_phi on real images with tfjs backbones', () => {
  beforeAll(async () => {
    await initBackend()
  })

  it('MobileNetV1: [H*W, target_dim] features for a real bottle image, no tensors left behind', async () => {
    const backbone = await loadTfjsBackbone(sharedPath('backbones/mobilenet_v1_imagenet'), descriptor('mobilenet_v1_imagenet'))
    const before = tf.memory().numTensors
    const ex = new FeatureExtractor(backbone)
    const res = await extractFeatures({ paths: [bottle('train/good/000.png')], extractor: ex, preprocess })
    expect(tf.memory().numTensors).toBe(before)
    expect(res.grid).toBe(32) // conv_pw_5 has stride 8
    expect(res.features[0].length).toBe(32 * 32 * 1536)
    // Real features: finite, not constant.
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

  it('MobileNetV2 graph model: size-free input, taps by node name', async () => {
    const backbone = await loadTfjsBackbone(sharedPath('backbones/mobilenet_v2_050_hub'), descriptor('mobilenet_v2_050_hub'))
    const ex = new FeatureExtractor(backbone, { embed: { patchSize: 3, pretrainDim: 256, targetDim: 256 } })
    const res = await extractFeatures({ paths: [bottle('train/good/001.png')], extractor: ex, preprocess: { resize: 128, crop: 128, fit: 'crop' } })
    expect(res.grid).toBe(16)
    expect(res.features[0].length).toBe(16 * 16 * 256)
    backbone.dispose()
  })

  it('caches features (memory and disk), reports progress with ETA and can be cancelled', async () => {
    const backbone = await loadTfjsBackbone(sharedPath('backbones/mobilenet_v1_imagenet'), descriptor('mobilenet_v1_imagenet'))
    const ex = new FeatureExtractor(backbone, { embed: { patchSize: 3, pretrainDim: 64, targetDim: 64 } })
    const paths = ['000', '001', '002', '003'].map((s) => bottle(`train/good/${s}.png`))
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
