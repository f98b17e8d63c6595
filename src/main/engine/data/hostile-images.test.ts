// A hostile corpus of images and folders: truncated files, lying BMP headers, special files, links, odd sizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { checkDataset } from './check-dataset'
import { readDataset } from './read-dataset'
import { openImage, verifyImage } from '../image/open-image'
import { checkRegularFile, readRegularFile, SIZE_CAPS } from '../util/file-policy'
import { writePng, writeTree } from '../../../test-support/make-images'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-hostile-img-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A 24-bit BMP header claiming `w` x `h` pixels, followed by `body` bytes. */
function bmp(w: number, h: number, body = 64): Buffer {
  const b = Buffer.alloc(54 + body)
  b.write('BM', 0, 'latin1')
  b.writeUInt32LE(b.length, 2)
  b.writeUInt32LE(54, 10)
  b.writeUInt32LE(40, 14)
  b.writeInt32LE(w, 18)
  b.writeInt32LE(h, 22)
  b.writeUInt16LE(1, 26)
  b.writeUInt16LE(24, 28)
  return b
}

describe('images the engine refuses with a clear message', () => {
  it('a truncated PNG is not called ready (the check decodes every image) ', async () => {
    const root = join(dir, 'truncated')
    await writeTree(root, ['train/good/0.png', 'train/good/1.png', 'test/good/0.png'], 64, 64)
    const full = await readFile(join(root, 'train/good/1.png'))
    await writeFile(join(root, 'train/good/1.png'), full.subarray(0, Math.floor(full.length * 0.6)))
    await expect(openImage(join(root, 'train/good/1.png'))).resolves.toBeTruthy() // the header alone is fine
    const s = await checkDataset(root)
    expect(s.ok).toBe(false)
    expect(s.problems).toEqual([expect.objectContaining({ severity: 'error', path: join(root, 'train/good/1.png'), message: expect.stringContaining('Cannot read image') })])
  })

  it('BMP headers claiming absurd, negative or impossible sizes', async () => {
    const cases: [Buffer, RegExp][] = [
      [bmp(100000, 100000), /claims 100000 x 100000 pixels, more than/],
      [bmp(-5, 10), /claims a size of -5 x 10 pixels/],
      [bmp(0, 10), /claims a size of 0 x 10 pixels/],
      [bmp(640, 480), /claims 640 x 480 pixels but the file holds only 118 bytes \(truncated\)/],
    ]
    for (const [buf, msg] of cases) {
      await writeFile(join(dir, 'x.bmp'), buf)
      await expect(openImage(join(dir, 'x.bmp'))).rejects.toThrow(msg)
      await expect(openImage(join(dir, 'x.bmp'))).rejects.toThrow(/Cannot read image .*x\.bmp/)
    }
  })

  it('special files, folders, missing files and oversized files never reach a decoder (one neutral message)', async () => {
    const fifo = join(dir, 'pipe.png')
    execFileSync('mkfifo', [fifo])
    const big = join(dir, 'big.json')
    await writeFile(big, '')
    await truncate(big, SIZE_CAPS.json + 1)
    for (const p of [fifo, '/dev/zero', dir, join(dir, 'nope.png')]) {
      await expect(readRegularFile(p, 'image')).rejects.toThrow(/file not found, not readable, or not a regular file/)
      await expect(verifyImage(p)).rejects.toThrow(/Cannot read image/)
    }
    await expect(checkRegularFile(big, 'json')).rejects.toThrow(/JSON files are limited to 64 MiB and it holds 64 MiB/)
  })

  it('symlinked images are followed; broken and looping links are skipped', async () => {
    const real = join(dir, 'real')
    await writeTree(real, ['a.png', 'b.png'], 32, 32)
    const root = join(dir, 'linked')
    await mkdir(join(root, 'train/good'), { recursive: true })
    await symlink(join(real, 'a.png'), join(root, 'train/good/a.png'))
    await symlink(join(real, 'b.png'), join(root, 'train/good/b.png'))
    await symlink(join(real, 'missing.png'), join(root, 'train/good/broken.png'))
    await symlink(join(root, 'train/good/loop.png'), join(root, 'train/good/loop.png'))
    const ds = await readDataset(root)
    expect(ds.samples.map((s) => s.path)).toEqual([join(root, 'train/good/a.png'), join(root, 'train/good/b.png')])
  })

  it('tiny, huge and mixed sizes pass with warnings', async () => {
    const root = join(dir, 'sizes')
    await writePng(join(root, 'train/good/tiny.png'), 3, 3)
    await writePng(join(root, 'train/good/ok.png'), 64, 64)
    await mkdir(join(root, 'train/good'), { recursive: true })
    await sharp({ create: { width: 7000, height: 6000, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png({ compressionLevel: 1 }).toFile(join(root, 'train/good/huge.png'))
    const s = await checkDataset(root)
    expect(s.ok).toBe(true)
    const warnings = s.problems.filter((p) => p.severity === 'warning').map((p) => p.message)
    expect(warnings).toHaveLength(3)
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringContaining('3x3 pixels is too small to inspect'),
      expect.stringContaining('7000x6000 pixels is very large'),
      expect.stringContaining('the images come in 3 sizes'),
    ]))
  })
})
