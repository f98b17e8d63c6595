// Sizes are refused before reading (finding 3): sparse files from `truncate` (no disk used) of 2 GiB, 2 GiB - 1 and 512 MiB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importBackbone } from '../backbone/weight-store'
import { loadBackbone } from '../backbone/load-backbone'
import { onImageRead, openImage } from '../image/open-image'
import { readRegularFile, SIZE_CAPS } from './file-policy'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-sizes-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A sparse file of `size` bytes (holes read as zeros, no disk space used). */
async function sparse(name: string, size: number): Promise<string> {
  const p = join(dir, name)
  await writeFile(p, '')
  await truncate(p, size)
  return p
}

describe('file sizes are checked before anything is read', () => {
  it('a weights file of exactly 2 GiB, and of 2 GiB - 1, is refused with the limit, never read (no native assertion)', async () => {
    for (const size of [2 * 2 ** 30, 2 * 2 ** 30 - 1]) {
      const p = await sparse(`big-${size}.pth`, size)
      const t0 = Date.now()
      await expect(importBackbone(p, join(dir, 'data'))).rejects.toThrow(/weights files are limited to 1024 MiB and it holds 2048 MiB; nothing was read/)
      await expect(loadBackbone(p, { dataDir: join(dir, 'data'), resourcesDir: join(dir, 'none') })).rejects.toThrow(/limited to 1024 MiB/)
      await expect(readRegularFile(p, 'weights')).rejects.toThrow(/limited to 1024 MiB/)
      expect(Date.now() - t0).toBeLessThan(2000)
    }
    expect(SIZE_CAPS.weights).toBeLessThan(2 ** 31)
  })

  it('a 512 MiB file of zeros named .png is refused by its first bytes, not decoded after reading it whole', async () => {
    const p = await sparse('zeros.png', 512 * 2 ** 20)
    const reads: string[] = []
    const off = onImageRead((path) => reads.push(path))
    try {
      const t0 = Date.now()
      await expect(openImage(p)).rejects.toThrow(/zeros\.png: its first bytes are not those of a PNG, JPEG, BMP, TIFF or WebP file/)
      expect(Date.now() - t0).toBeLessThan(1000)
    } finally {
      off()
    }
    expect(reads).toEqual([])
    await expect(openImage(await sparse('over.png', SIZE_CAPS.image + 1))).rejects.toThrow(/larger than the image size limit/)
    await expect(openImage(await sparse('empty.png', 0))).rejects.toThrow(/empty\.png: the file is empty/)
  })
})
