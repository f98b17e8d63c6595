import { beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend } from '../backend/select-backend'
import { listBuiltInWeights, parseBuiltInSource } from './built-in'
import { listAvailableWeights, pickWeights } from './available-weights'
import { loadBackbone } from './load-backbone'
import { importBackbone } from './weight-store'
import { REPO_ROOT } from '../../../test-support/shared'
import { writeUserResnet18 } from '../../../test-support/user-weights'

const RESOURCES = join(REPO_ROOT, 'resources')
const BUILT_IN_DIR = join(RESOURCES, 'backbones', 'resnet18_imagenet_to_layer3')
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

beforeAll(async () => {
  await initBackend()
})

describe('the built-in ResNet18 weights', () => {
  it('ship in resources/ with a SOURCE.txt whose sha256 is the file\'s, and the licence note', () => {
    const [w, ...more] = listBuiltInWeights(RESOURCES)
    expect(more).toEqual([])
    expect(w).toMatchObject({ arch: 'resnet18', layers: 3, path: join(BUILT_IN_DIR, 'resnet18_to_layer3.safetensors') })
    expect(sha256(w.path)).toBe(w.sha256)
    const source = readFileSync(w.sourceFile, 'utf8')
    expect(source).toMatch(/^licence: /m)
    expect(source).toMatch(/IMAGENET1K_V1/)
  })

  it('say clearly when SOURCE.txt is damaged', () => {
    expect(() => parseBuiltInSource('file: x.safetensors\narch: resnet18\nlayers: 3\n', '/r')).toThrow(/\/r\/SOURCE.txt has no 'sha256:' line/)
    expect(() => parseBuiltInSource('file: x\nsha256: 12\narch: vgg\nlayers: 3\n', '/r')).toThrow(/'vgg'/)
  })

  it('are what a fresh machine loads for "resnet18", with no store and no setup', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'pbas-fresh-'))
    const bb = await loadBackbone('resnet18', { dataDir: empty, resourcesDir: RESOURCES })
    expect(bb.weightsChecksum).toBe(listBuiltInWeights(RESOURCES)[0].sha256)
    bb.dispose()
    await expect(loadBackbone('wide_resnet50_2', { dataDir: empty, resourcesDir: RESOURCES })).rejects.toThrow(/pbas backbone fetch wide_resnet50_2/)
    await rm(empty, { recursive: true })
  })

  it('refuse to load when the file was damaged', async () => {
    const res = await mkdtemp(join(tmpdir(), 'pbas-res-'))
    await cp(RESOURCES, res, { recursive: true })
    const file = join(res, 'backbones', 'resnet18_imagenet_to_layer3', 'resnet18_to_layer3.safetensors')
    const buf = await readFile(file)
    buf[buf.length - 1] ^= 0xff
    await writeFile(file, buf)
    await expect(loadBackbone('resnet18', { dataDir: join(res, 'no-store'), resourcesDir: res })).rejects.toThrow(/resnet18_to_layer3.safetensors is damaged: its sha256 is [0-9a-f]{12}, it should be eb1bd860/)
    await rm(res, { recursive: true })
  })
})

describe('precedence: the user\'s stored weights, then the built-in ones; a model gets the checksum it names', () => {
  it('picks by precedence for new runs and by sha256 for saved models, or refuses naming what is here', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pbas-prec-'))
    const builtIn = listBuiltInWeights(RESOURCES)[0]
    // The same tensors in another file (a header note), so its checksum differs: a stand-in for a user's own file.
    const mine = await importBackbone(writeUserResnet18(`${dataDir}-mine.safetensors`), dataDir)
    expect(mine.sha256).not.toBe(builtIn.sha256)
    expect((await listAvailableWeights(dataDir, RESOURCES)).map((w) => [w.origin, w.sha256])).toEqual([['store', mine.sha256], ['built-in', builtIn.sha256]])
    expect((await pickWeights('resnet18', dataDir, RESOURCES)).origin).toBe('store')
    expect((await pickWeights('resnet18', dataDir, RESOURCES, builtIn.sha256)).origin).toBe('built-in')
    const bb = await loadBackbone('resnet18', { dataDir, resourcesDir: RESOURCES, weightsSha256: builtIn.sha256 })
    expect(bb.weightsChecksum).toBe(builtIn.sha256)
    bb.dispose()
    await expect(pickWeights('resnet18', dataDir, RESOURCES, 'ab'.repeat(32))).rejects.toThrow(
      /trained with resnet18 weights sha256 abababababab, which are not on this machine \(it has your stored resnet18 ImageNet weights \(sha256 [0-9a-f]{8}\) and built-in resnet18 ImageNet weights \(sha256 eb1bd860\)\)\. Import the weight file/,
    )
    await rm(dataDir, { recursive: true })
  })

  it('a model trained from a weight file that has moved loads the same bytes from the built-in copy', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'pbas-moved-'))
    const builtIn = listBuiltInWeights(RESOURCES)[0]
    const ctx = { dataDir: empty, resourcesDir: RESOURCES, weightsSha256: builtIn.sha256 }
    const bb = await loadBackbone('/gone/shared/backbones/resnet18_imagenet_to_layer3', ctx)
    expect(bb.weightsChecksum).toBe(builtIn.sha256)
    bb.dispose()
    await expect(loadBackbone('/gone/elsewhere', { ...ctx, weightsSha256: 'cd'.repeat(32) })).rejects.toThrow(/neither a known name/)
    await rm(empty, { recursive: true })
  })
})
