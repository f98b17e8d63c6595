// Real-data check (npm run test:real): the real MobileNetV1/V2 weights in ../shared on real bottle images; feature-extractor.test.ts checks the same on generated models and images.
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { loadTfjsBackbone, parseDescriptor } from '../backbone/tfjs-backbone'
import { FeatureExtractor } from './feature-extractor'
import { extractFeatures } from './extract-features'
import { HAS_SHARED, REPO_ROOT, sharedPath } from '../../../test-support/shared'

const descriptor = (name: string) => parseDescriptor(JSON.parse(readFileSync(join(REPO_ROOT, 'resources/backbones', `${name}.json`), 'utf8')), name)

describe.skipIf(!HAS_SHARED)('E_phi with the real MobileNets on real bottle images', () => {
  beforeAll(async () => {
    await initBackend()
  })

  it('MobileNetV1 (layers model, bundled descriptor): 32 x 32 x 1536 features with a real spread, no tensors left behind', async () => {
    const backbone = await loadTfjsBackbone(sharedPath('backbones/mobilenet_v1_imagenet'), descriptor('mobilenet_v1_imagenet'))
    const before = tf.memory().numTensors
    const res = await extractFeatures({ paths: [sharedPath('datasets/mvtec_bottle/train/good/000.png')], extractor: new FeatureExtractor(backbone), preprocess: { resize: 256, crop: 256, fit: 'crop' } })
    expect(tf.memory().numTensors).toBe(before)
    expect([res.grid, res.features[0].length]).toEqual([32, 32 * 32 * 1536])
    const f = Array.from(res.features[0])
    expect(f.every(Number.isFinite)).toBe(true)
    expect(f.reduce((a, b) => Math.max(a, b)) - f.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(0.1)
    backbone.dispose()
  })

  it('MobileNetV2 0.5 (TF-Hub graph model): taps by node name at any input size', async () => {
    const backbone = await loadTfjsBackbone(sharedPath('backbones/mobilenet_v2_050_hub'), descriptor('mobilenet_v2_050_hub'))
    const ex = new FeatureExtractor(backbone, { embed: { patchSize: 3, pretrainDim: 256, targetDim: 256 } })
    const res = await extractFeatures({ paths: [sharedPath('datasets/mvtec_bottle/train/good/001.png')], extractor: ex, preprocess: { resize: 128, crop: 128, fit: 'crop' } })
    expect([res.grid, res.features[0].length]).toEqual([16, 16 * 16 * 256])
    backbone.dispose()
  })
})
