// Real-data checks (npm run test:real): ../shared's torchvision .pth and real MobileNetV1 folder through the weight store and loadBackbone; weight-store.test.ts checks the same on the built-in weights, a generated user copy and a generated MobileNet-shaped model.
import { describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { importBackbone } from './weight-store'
import { listAvailableWeights } from './available-weights'
import { loadBackbone } from './load-backbone'
import { HAS_SHARED, REPO_ROOT, sharedPath } from '../../../test-support/shared'

describe.skipIf(!HAS_SHARED)('real weight files from ../shared', () => {
  it('imports torchvision\'s .pth (zip pickle) as a stored resnet18 that takes precedence over the built-in copy', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pbas-real-store-'))
    const rec = await importBackbone(sharedPath('backbones/resnet18_imagenet_to_layer3/resnet18_to_layer3.pth'), dataDir)
    expect(rec).toMatchObject({ arch: 'resnet18', layers: 3 })
    expect((await listAvailableWeights(dataDir, join(REPO_ROOT, 'resources'))).map((w) => w.origin)).toEqual(['store', 'built-in'])
    await rm(dataDir, { recursive: true })
  })

  it('resolves the real MobileNetV1 folder with its bundled descriptor', async () => {
    await initBackend()
    const mb = await loadBackbone(sharedPath('backbones/mobilenet_v1_imagenet'), { dataDir: tmpdir(), resourcesDir: join(REPO_ROOT, 'resources') })
    expect(mb.id).toBe('tfjs-layers:mobilenet_v1_imagenet')
    expect(mb.defaultTaps).toEqual(['conv_pw_5_relu', 'conv_pw_11_relu'])
    mb.dispose()
  })
})
