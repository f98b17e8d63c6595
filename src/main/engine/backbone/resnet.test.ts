import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { createResNet } from './resnet'
import { readWeights } from './weights/read-weights'
import { resnetExpectedKeys } from './resnet-spec'
import { PatchEmbedder } from '../features/patch-embedder'
import { toHostMap } from '../features/feature-extractor'
import { BUILT_IN_RESNET18, readBackboneFixture } from '../../../test-support/shared'

const MEAN = [0.485, 0.456, 0.406]
const STD = [0.229, 0.224, 0.225]

/** max |got - want| / max |want| */
function relErr(got: Float32Array | number[], want: Float32Array): number {
  let num = 0
  let den = 0
  for (let i = 0; i < want.length; i++) {
    num = Math.max(num, Math.abs(got[i] - want[i]))
    den = Math.max(den, Math.abs(want[i]))
  }
  return num / den
}

function nchwData(t: tf.Tensor4D): Float32Array {
  const nchw = t.transpose([0, 3, 1, 2])
  const data = nchw.dataSync() as Float32Array
  nchw.dispose()
  return data
}

describe('torchvision ResNet18 + E_phi against PyTorch on the reference part image (built-in weights)', () => {
  beforeAll(async () => {
    await initBackend()
  })

  // The .pth copy of the same weights is checked by resnet.real.test.ts (npm run test:real); .pth parsing by read-weights.test.ts.
  for (const file of ['resnet18_to_layer3.safetensors']) {
    it(`reproduces layer2, layer3 and the 1536-d embedding to 1e-4 (${file})`, async () => {
      const before = tf.memory().numTensors
      const weights = await readWeights(join(BUILT_IN_RESNET18, file))
      const net = createResNet({ arch: 'resnet18', weights, source: file })
      expect(net.taps).toEqual(['layer1', 'layer2', 'layer3'])
      const input = readBackboneFixture('input')
      const S = input.shape[2]
      // The fixture stores the normalised input; our backbones normalise themselves, so undo it.
      const rgb = new Float32Array(S * S * 3)
      for (let c = 0; c < 3; c++) for (let i = 0; i < S * S; i++) rgb[i * 3 + c] = input.data[c * S * S + i] * STD[c] + MEAN[c]
      const x = tf.tensor4d(rgb, [1, S, S, 3])
      const [l2, l3] = net.forward(x, ['layer2', 'layer3'])
      expect(l2.shape).toEqual([1, S / 8, S / 8, 128])
      expect(l3.shape).toEqual([1, S / 16, S / 16, 256])
      expect(relErr(nchwData(l2), readBackboneFixture('layer2').data)).toBeLessThan(1e-4)
      expect(relErr(nchwData(l3), readBackboneFixture('layer3').data)).toBeLessThan(1e-4)
      const emb = new PatchEmbedder([128, 256])
      const e = emb.embed([await toHostMap(l2), await toHostMap(l3)])
      expect(e.length).toBe((S / 8) ** 2 * 1536)
      expect(relErr(e, readBackboneFixture('embedding').data)).toBeLessThan(1e-4)
      x.dispose()
      net.dispose()
      expect(tf.memory().numTensors).toBe(before)
    })
  }

  it('refuses weights of another architecture, listing the keys', async () => {
    const weights = await readWeights(join(BUILT_IN_RESNET18, 'resnet18_to_layer3.safetensors'))
    expect(() => createResNet({ arch: 'resnet50', weights, layers: 3, source: 'r18.safetensors' })).toThrow(
      /do not fit this architecture[\s\S]*layer1\.0\.conv3\.weight[\s\S]*layer1\.0\.conv1\.weight: file has \[64, 64, 1, 1\]|Missing keys/,
    )
  })

  it('builds WideResNet50-2 and ResNet50 with the channel counts torchvision has', () => {
    const wrn = resnetExpectedKeys('wide_resnet50_2', 3)
    expect(wrn.get('layer2.0.conv2.weight')).toEqual([256, 256, 3, 3])
    expect(wrn.get('layer3.5.conv3.weight')).toEqual([1024, 512, 1, 1])
    expect(resnetExpectedKeys('resnet50', 4).size).toBe(265) // torchvision resnet50 has 320 keys incl. 53 num_batches_tracked and fc.w/b
    const net = createResNet({ arch: 'wide_resnet50_2', layers: 3, seed: 1 })
    expect(net.channels).toEqual({ layer1: 256, layer2: 512, layer3: 1024 })
    const x = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D
    const outs = net.forward(x, ['layer3', 'layer2'])
    expect(outs.map((o) => o.shape)).toEqual([[1, 4, 4, 1024], [1, 8, 8, 512]])
    tf.dispose([x, ...outs])
    net.dispose()
  })
})

describe('ResNet on onnxruntime', () => {
  it('gives the same layer2/layer3 as PyTorch (and as the tfjs path) on the reference part', async () => {
    await initBackend()
    const weights = await readWeights(join(BUILT_IN_RESNET18, 'resnet18_to_layer3.safetensors'))
    const net = createResNet({ arch: 'resnet18', weights })
    expect(net.runtime).toBe('onnxruntime')
    const input = readBackboneFixture('input')
    const S = input.shape[2]
    const rgb = new Float32Array(S * S * 3)
    for (let c = 0; c < 3; c++) for (let i = 0; i < S * S; i++) rgb[i * 3 + c] = input.data[c * S * S + i] * STD[c] + MEAN[c]
    const [l2, l3] = await net.forwardHost({ data: rgb, shape: [1, S, S, 3] }, ['layer2', 'layer3'])
    const nchw = (m: { data: Float32Array; shape: number[] }) => {
      const [, H, W, C] = m.shape
      const out = new Float32Array(m.data.length)
      for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) out[c * H * W + i] = m.data[i * C + c]
      return out
    }
    expect(relErr(nchw(l2), readBackboneFixture('layer2').data)).toBeLessThan(1e-4)
    expect(relErr(nchw(l3), readBackboneFixture('layer3').data)).toBeLessThan(1e-4)
    const emb = new PatchEmbedder([128, 256]).embed([l2, l3])
    expect(relErr(emb, readBackboneFixture('embedding').data)).toBeLessThan(1e-4)
    net.dispose()
  })
})
