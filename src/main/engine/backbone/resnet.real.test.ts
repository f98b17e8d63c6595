// Real-data check (npm run test:real): the .pth copy of the ResNet18 weights in ../shared against PyTorch on a real MVTec bottle image; resnet.test.ts checks the same on the built-in safetensors and a generated part image.
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend/select-backend'
import { createResNet } from './resnet'
import { readWeights } from './weights/read-weights'
import { PatchEmbedder } from '../features/patch-embedder'
import { toHostMap } from '../features/feature-extractor'
import { HAS_SHARED, readBackboneFixture, sharedPath } from '../../../test-support/shared'

const MEAN = [0.485, 0.456, 0.406]
const STD = [0.229, 0.224, 0.225]
const relErr = (got: ArrayLike<number>, want: Float32Array) => {
  let num = 0
  let den = 0
  for (let i = 0; i < want.length; i++) [num, den] = [Math.max(num, Math.abs(got[i] - want[i])), Math.max(den, Math.abs(want[i]))]
  return num / den
}

describe.skipIf(!HAS_SHARED)('ResNet18 from ../shared (.pth and .safetensors) against PyTorch on the real bottle image', () => {
  for (const file of ['resnet18_to_layer3.pth', 'resnet18_to_layer3.safetensors']) {
    it(`reproduces layer2, layer3 and the 1536-d embedding to 1e-4 (${file})`, async () => {
      await initBackend()
      const net = createResNet({ arch: 'resnet18', weights: await readWeights(sharedPath('backbones/resnet18_imagenet_to_layer3', file)), source: file })
      const input = readBackboneFixture('input', 'bottle')
      const S = input.shape[2]
      const rgb = new Float32Array(S * S * 3)
      for (let c = 0; c < 3; c++) for (let i = 0; i < S * S; i++) rgb[i * 3 + c] = input.data[c * S * S + i] * STD[c] + MEAN[c]
      const x = tf.tensor4d(rgb, [1, S, S, 3])
      const [l2, l3] = net.forward(x, ['layer2', 'layer3'])
      const nchw = (t: tf.Tensor4D) => tf.tidy(() => t.transpose([0, 3, 1, 2]).dataSync() as Float32Array)
      expect(relErr(nchw(l2), readBackboneFixture('layer2', 'bottle').data)).toBeLessThan(1e-4)
      expect(relErr(nchw(l3), readBackboneFixture('layer3', 'bottle').data)).toBeLessThan(1e-4)
      const e = new PatchEmbedder([128, 256]).embed([await toHostMap(l2), await toHostMap(l3)])
      expect(relErr(e, readBackboneFixture('embedding', 'bottle').data)).toBeLessThan(1e-4)
      tf.dispose([x, l2, l3])
      net.dispose()
    })
  }
})
