// Special files are left out with a reason everywhere files are skipped; imports copy all or nothing; decode errors stay with their file (findings 6, 7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { checkDataset } from './check-dataset'
import { verifyImage } from '../image/open-image'
import { loadImage } from '../image/preprocess'
import { openWorkspace } from '../../workspace/workspace-db'
import { ProductStore } from '../../workspace/products'
import { DatasetService } from '../../app/dataset-service'
import type { Jobs } from '../../jobs/job-lanes'
import { writeTree } from '../../../test-support/make-images'
import { ONE_EPOCH, tinyBackbone, tinyConfig } from '../../../test-support/tiny-model'
import { runTrainingPipeline } from '../pipeline/train-pipeline'

let dir: string
let data: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-left-out-'))
  data = join(dir, 'product')
  await writeTree(data, ['train/good/0.png', 'train/good/1.png', 'train/good/2.png', 'train/good/3.png', 'train/good/4.png', 'test/good/0.png'], 32, 32)
  const good = join(data, 'train/good')
  execFileSync('mkfifo', [join(good, 'fifo.png')])
  await mkdir(join(good, 'folder.png'))
  await symlink(join(dir, 'nowhere.png'), join(good, 'dangling.png'))
  await symlink('/dev/zero', join(good, 'zero.png'))
  await symlink(join(good, '0.png'), join(good, 'linked.png'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const REASONS = {
  'fifo.png': /a named pipe \(FIFO\), not a file/,
  'folder.png': /a folder, not a file/,
  'dangling.png': /a link to nothing \(.*nowhere\.png does not exist\)/,
  'zero.png': /a link to a device \(\/dev\/zero\), not a file/,
}

describe('special files named like images are reported, never skipped silently (finding 7)', () => {
  it('dataset check lists each with why, and still reads the linked image', async () => {
    const s = await checkDataset(data)
    expect(s.trainGood).toBe(6) // five images and the link to one of them
    for (const [name, reason] of Object.entries(REASONS)) {
      const p = s.problems.find((x) => x.path === join(data, 'train/good', name))
      expect(p, name).toMatchObject({ severity: 'warning', message: expect.stringMatching(reason) })
    }
    expect(s.ok).toBe(true)
  })
})

describe('training says which listed entries it left out (finding 7)', () => {
  it('warns with each special file and its reason before it trains', async () => {
    const warnings: string[] = []
    const ac = new AbortController()
    const run = runTrainingPipeline(
      { data, out: join(dir, 'model'), config: tinyConfig(ONE_EPOCH), backbone: tinyBackbone(dir), backendName: 'wasm' },
      { signal: ac.signal, onProgress: (e) => void (e.kind === 'warning' && (warnings.push(e.message), ac.abort())) },
    )
    await run.catch(() => {})
    const w = warnings.find((m) => m.includes('left out'))
    expect(w).toMatch(/4 entries named like images left out/)
    for (const [name, reason] of Object.entries(REASONS)) expect(w, name).toMatch(new RegExp(`${name} \\(${reason.source}`))
  }, 60_000)
})

describe('copy-on-request import (finding 6)', () => {
  it('copies all or nothing, dereferences links to files, leaves special files out with why, and never copies a FIFO or /dev/zero', async () => {
    const { db } = openWorkspace(join(dir, 'ws'))
    const products = new ProductStore(db)
    const product = products.create('Pipes')
    const summary = await checkDataset(data)
    const runner = { get: () => ({ outcome: { kind: 'dataset-check', result: summary } }) } as unknown as Jobs
    const datasets = new DatasetService(products, runner, join(dir, 'ws'))
    const t0 = Date.now()
    const rec = await datasets.save(product.id, 'j', true)
    expect(Date.now() - t0).toBeLessThan(5000)
    const copied = join(rec.root, 'train/good')
    // folder.png is a (empty) folder and is copied as one; the FIFO and the bad links are not.
    expect(readdirSync(copied).sort()).toEqual(['0.png', '1.png', '2.png', '3.png', '4.png', 'folder.png', 'linked.png'])
    expect(lstatSync(join(copied, 'linked.png')).isSymbolicLink()).toBe(false)
    expect(readFileSync(join(copied, 'linked.png')).equals(readFileSync(join(data, 'train/good/0.png')))).toBe(true)
    for (const [name, reason] of Object.entries(REASONS))
      expect(rec.summary.problems.filter((p) => p.path === join(data, 'train/good', name)).map((p) => p.message), name).toContainEqual(expect.stringMatching(reason))
    // Nothing half-copied is left beside it.
    expect(readdirSync(join(dir, 'ws', 'images')).filter((n) => n.endsWith('.tmp'))).toEqual([])
    db.close()
  })
})

describe('decode errors stay with their file (finding 7)', () => {
  it('sixteen truncated PNGs and JPEGs decoded at once each get a reason about their own format', async () => {
    const raw = Buffer.alloc(256 * 256 * 3)
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 251
    const png = await sharp(raw, { raw: { width: 256, height: 256, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer()
    const jpg = await sharp(raw, { raw: { width: 256, height: 256, channels: 3 } }).jpeg().toBuffer()
    const files: { path: string; kind: 'png' | 'jpeg' }[] = []
    for (let i = 0; i < 16; i++) {
      const kind = i % 2 ? 'png' : 'jpeg'
      const path = join(dir, `cut-${i}.${kind === 'png' ? 'png' : 'jpg'}`)
      await writeFile(path, (kind === 'png' ? png : jpg).subarray(0, 2000 + i * 300))
      files.push({ path, kind })
    }
    for (const decode of [verifyImage, (p: string) => loadImage(p)]) {
      const results = await Promise.allSettled(files.map((f) => decode(f.path)))
      results.forEach((r, i) => {
        expect(r.status, files[i].path).toBe('rejected')
        const message = (r as PromiseRejectedResult).reason.message as string
        expect(message).toContain(files[i].path)
        const reason = message.slice(message.indexOf(': ') + 2, message.indexOf('. Check that the file'))
        if (files[i].kind === 'png') expect(reason, files[i].path).toMatch(/png/i), expect(reason).not.toMatch(/jpe?g/i)
        else expect(reason, files[i].path).toMatch(/jpe?g/i), expect(reason).not.toMatch(/png/i)
      })
    }
  })
})
