// The GPU path (tfjs on WebGPU) against the CPU path (onnxruntime), on tiny sizes, on the software device where there is no GPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { registerWebGpu } from '../backend/webgpu'
import { computeDevice, computesOnGpu } from '../backend/select-backend'
import { runGpuParity, type ParityResult } from './gpu-parity'
import { loadBackbone } from '../backbone/load-backbone'
import type { ModelMeta } from '../model/model-file'
import { runTrainingPipeline } from './train-pipeline'
import { BUILT_IN_RESNET18 } from '../../../test-support/shared'
import { tinyBackbone, tinyConfig, writeTinyProduct } from '../../../test-support/tiny-model'

// The software device (Mesa's lavapipe, from bookworm-backports on Debian 12, installed by `npm run test:tools`) stands in for a GPU.
const adapter = await registerWebGpu(true).catch((err: Error) => err)
// Without an adapter the tests skip saying how to add one; CI sets PBAS_REQUIRE_GPU_TESTS=1, and there they fail.
const skip =
  adapter instanceof Error && process.env.PBAS_REQUIRE_GPU_TESTS !== '1'
    ? `${adapter.message.split('\n')[0]}; \`npm run test:tools\` as root installs Mesa's software Vulkan device (mesa-vulkan-drivers from bookworm-backports on Debian 12)`
    : null
if (skip) console.warn(`GPU-path tests skipped: ${skip}`)
const adapterName = adapter instanceof Error ? '' : adapter.name

describe.skipIf(skip)('GPU path on a WebGPU device', () => {
  let parity: ParityResult
  beforeAll(async () => {
    if (adapter instanceof Error) throw adapter // PBAS_REQUIRE_GPU_TESTS=1 and no adapter: fail, do not skip
    parity = await runGpuParity(BUILT_IN_RESNET18, () => loadBackbone(BUILT_IN_RESNET18, tinyBackbone(join(tmpdir(), 'pbas-gpu-parity'))))
    console.log(`GPU path on ${adapterName}: ${JSON.stringify(parity)}`)
  })
  afterAll(async () => {
    await tf.setBackend('cpu')
  })

  it('runs every operation on tfjs there and on onnxruntime on the CPU path', async () => {
    expect(parity.runtimes).toEqual({ cpu: { features: 'onnxruntime', training: 'onnxruntime' }, gpu: { features: 'tfjs', training: 'tfjs' } })
    await tf.setBackend('webgpu')
    expect(computesOnGpu()).toBe(true)
    expect(computeDevice().device.startsWith(adapterName)).toBe(true)
    await tf.setBackend('cpu')
    expect(computesOnGpu()).toBe(false)
  })

  it('backbone features (ResNet18, layer2 + layer3) match within 1e-4', () => {
    expect(parity.errors.backbone).toBeLessThan(1e-4)
  })

  it('three training steps match step for step within 1e-4 (losses, then every parameter with a real gradient)', () => {
    expect(parity.errors.stepLosses).toBeLessThan(1e-4)
    expect(parity.errors.paramsAfter3Steps).toBeLessThan(1e-4)
    expect(parity.excluded).toEqual(['discB1', 'bnMean'])
  })

  it('image scores and anomaly maps match within 1e-4', () => {
    expect(parity.errors.imageScores).toBeLessThan(1e-4)
    expect(parity.errors.maps).toBeLessThan(1e-4)
  })

  it('20 more steps leave tensors and device buffers as they were', () => {
    const { tensors, bytesInUse, bytesAllocated } = parity.leak
    expect(tensors[1]).toBe(tensors[0])
    expect(bytesInUse[1]).toBe(bytesInUse[0])
    expect(bytesAllocated[1]).toBe(bytesAllocated[0])
    expect(bytesInUse[0]).toBeGreaterThan(0)
  })

  it('trains a tiny model end to end on the device; model.json names the device', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pbas-gpu-train-'))
    try {
      const data = await writeTinyProduct(dir)
      await tf.setBackend('webgpu')
      const before = tf.memory().numTensors
      await runTrainingPipeline({ data, out: join(dir, 'model'), config: tinyConfig({ epochs: 1 }), backbone: tinyBackbone(dir), backendName: 'webgpu', gpu: true }, {})
      expect(tf.memory().numTensors).toBe(before)
      const meta = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8')) as ModelMeta
      expect(meta.runtime).toEqual({ features: 'tfjs', training: 'tfjs' })
      expect(meta.compute).toMatchObject({ backend: 'webgpu', gpu: true })
      expect(meta.compute?.device.startsWith(adapterName)).toBe(true)
    } finally {
      await tf.setBackend('cpu')
      await rm(dir, { recursive: true, force: true })
    }
  })
})
