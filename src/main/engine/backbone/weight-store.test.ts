import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../backend/select-backend'
import { downloadFile, type DownloadProgress } from './download'
import { fetchBackbone, importBackbone, listStoredWeights } from './weight-store'
import { loadBackbone } from './load-backbone'
import { TORCHVISION_FILES } from './torchvision-catalog'
import { CancelledError } from '../util/job'
import { BUILT_IN_RESNET18, REPO_ROOT, referencePath } from '../../../test-support/shared'
import { writeMobileNetLikeLayersModel } from '../../../test-support/tfjs-models'

// The built-in weights' bytes stand in for torchvision's download (readers go by content, not by name);
// a real .pth download is checked by weight-store.real.test.ts.
const pth = readFileSync(join(BUILT_IN_RESNET18, 'resnet18_to_layer3.safetensors'))
const sha = createHash('sha256').update(pth).digest('hex')
let server: Server
let base: string
let dataDir: string

beforeAll(async () => {
  await initBackend()
  dataDir = await mkdtemp(join(tmpdir(), 'pbas-store-'))
  server = createServer((req, res) => {
    if (req.url?.startsWith('/slow/')) {
      // Sends the first chunk, then stalls so the client can cancel mid-download.
      res.writeHead(200, { 'content-length': String(pth.length) })
      res.write(pth.subarray(0, 65536))
      return
    }
    if (req.url?.endsWith('.pth')) {
      res.writeHead(200, { 'content-length': String(pth.length) })
      // Several chunks so progress is reported more than once.
      for (let i = 0; i < pth.length; i += 1 << 20) res.write(pth.subarray(i, i + (1 << 20)))
      res.end()
      return
    }
    res.writeHead(404).end()
  })
  server.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  server.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('downloading weights (against a local HTTP server)', () => {
  it('streams with progress, verifies the sha256 prefix and lands the file atomically', async () => {
    const dest = join(dataDir, 'dl', 'w.pth')
    const events: DownloadProgress[] = []
    const r = await downloadFile(`${base}/w.pth`, dest, sha.slice(0, 8), { onProgress: (e) => events.push(e) })
    expect(r.sha256).toBe(sha)
    expect(readFileSync(dest).equals(pth)).toBe(true)
    expect(events.length).toBeGreaterThan(0)
    expect(events[events.length - 1]).toMatchObject({ bytes: pth.length, totalBytes: pth.length })
    expect(events.every((e, i) => i === 0 || e.bytes >= events[i - 1].bytes)).toBe(true)
  })

  it('rejects a file whose checksum does not match and leaves nothing behind', async () => {
    const dest = join(dataDir, 'bad', 'w.pth')
    await expect(downloadFile(`${base}/w.pth`, dest, 'deadbeef')).rejects.toThrow(/is damaged: sha256 .* does not start with deadbeef/)
    expect(existsSync(dest)).toBe(false)
    expect(await readdir(join(dataDir, 'bad'))).toEqual([])
  })

  it('can be cancelled mid-download, and explains HTTP errors', async () => {
    const ac = new AbortController()
    const dest = join(dataDir, 'cancel', 'w.pth')
    const p = downloadFile(`${base}/slow/w.pth`, dest, null, { signal: ac.signal, onProgress: () => ac.abort() })
    await expect(p).rejects.toThrow(CancelledError)
    expect(existsSync(dest)).toBe(false)
    await expect(downloadFile(`${base}/missing.bin`, join(dataDir, 'x'), null)).rejects.toThrow(/answered 404/)
  })

  it('fetchBackbone stores verified torchvision weights that loadBackbone then uses', async () => {
    process.env.PBAS_WEIGHTS_BASE_URL = base
    try {
      const files = { ...TORCHVISION_FILES, resnet18: `resnet18-${sha.slice(0, 8)}.pth` }
      const rec = await fetchBackbone('resnet18', dataDir, {}, files)
      expect(rec).toMatchObject({ arch: 'resnet18', sha256: sha, layers: 3 })
      // The real catalogue name carries torchvision's hash, which our stand-in file does not have.
      await expect(fetchBackbone('resnet18', join(dataDir, 'other'))).rejects.toThrow(/does not start with f37072fd/)
    } finally {
      delete process.env.PBAS_WEIGHTS_BASE_URL
    }
    const bb = await loadBackbone('resnet18', { dataDir, resourcesDir: join(REPO_ROOT, 'resources') })
    expect(bb.weightsChecksum).toBe(sha)
    const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D
    const [l3] = bb.forward(x, ['layer3'])
    expect(l3.shape).toEqual([1, 2, 2, 256])
    tf.dispose([x, l3])
    bb.dispose()
  })
})

describe('importing and resolving backbones', () => {
  it('imports a .safetensors copy, refuses non-ResNet files and wrong hash names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pbas-import-'))
    const rec = await importBackbone(join(BUILT_IN_RESNET18, 'resnet18_to_layer3.safetensors'), dir)
    expect(rec.arch).toBe('resnet18')
    expect((await listStoredWeights(dir)).map((r) => r.arch)).toEqual(['resnet18'])
    await expect(importBackbone(referencePath('weights/tiny.pth'), dir)).rejects.toThrow(/stops at layer1|not a torchvision ResNet/)
    await expect(importBackbone(referencePath('weights/tiny.pth'), dir, 'resnet50')).rejects.toThrow(/tiny\.pth/)
    await rm(dir, { recursive: true })
  })

  it('refuses a damaged or foreign store record with its file named, and a record pointing outside the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pbas-records-'))
    const rec = await importBackbone(join(BUILT_IN_RESNET18, 'resnet18_to_layer3.safetensors'), dir)
    const file = join(dir, 'backbones', 'resnet18.json')
    for (const [content, message] of [
      ['{"arch": "resnet18", ', /resnet18\.json is damaged/],
      [JSON.stringify({ ...rec, file: '../../etc/passwd' }), /resnet18\.json is not a weight-store record .*file: must be a file name in the store folder/],
      [JSON.stringify({ ...rec, arch: 'vgg16' }), /resnet18\.json is not a weight-store record .*arch/],
    ] as const) {
      await writeFile(file, content)
      await expect(listStoredWeights(dir)).rejects.toThrow(message)
    }
    await rm(dir, { recursive: true })
  })

  it('resolves folders: weight files (safetensors preferred) and tfjs models via bundled descriptors', async () => {
    const ctx = { dataDir, resourcesDir: join(REPO_ROOT, 'resources') }
    const r18 = await loadBackbone(BUILT_IN_RESNET18, ctx)
    expect(r18.id).toBe('resnet18')
    r18.dispose()
    // A tfjs layers model in a folder named like a bundled descriptor picks that descriptor up.
    const folder = join(await mkdtemp(join(tmpdir(), 'pbas-tfjs-')), 'mobilenet_v1_imagenet')
    await writeMobileNetLikeLayersModel(folder)
    const mb = await loadBackbone(folder, ctx)
    expect(mb.id).toBe('tfjs-layers:mobilenet_v1_imagenet')
    expect(mb.defaultTaps).toEqual(['conv_pw_5_relu', 'conv_pw_11_relu'])
    mb.dispose()
    await expect(loadBackbone('wide_resnet50_2', ctx)).rejects.toThrow(/pbas backbone fetch wide_resnet50_2/)
    await expect(loadBackbone('nonsense', ctx)).rejects.toThrow(/neither a known name/)
  })
})
