import { describe, expect, it } from 'vitest'
import { mkdtemp, writeFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { encode as encodeBmp } from 'bmp-ts'
import { loadImage, loadMask } from './preprocess'
import { ImageReadError } from './open-image'
import { PART_IMAGE, readBackboneFixture } from '../../../test-support/shared'

const MEAN = [0.485, 0.456, 0.406]
const STD = [0.229, 0.224, 0.225]

describe('preprocessing', () => {
  it('matches torchvision Resize+CenterCrop on the reference part image (240 x 200) within 0.02 mean abs difference', async () => {
    const ref = readBackboneFixture('input') // [1,3,128,128], ImageNet-normalised
    const img = await loadImage(PART_IMAGE, {
      resize: 128,
      crop: 128,
      fit: 'crop',
    })
    const s = 128
    let sum = 0
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < s * s; i++) {
        const want = ref.data[c * s * s + i] * STD[c] + MEAN[c]
        sum += Math.abs(img.data[i * 3 + c] - want)
      }
    const mad = sum / (3 * s * s)
    expect(mad).toBeLessThan(0.02)
  })

  describe('formats', () => {
    let dir: string
    const w = 40
    const h = 20
    // A left-to-right red ramp lets us check orientation and channel order after decoding.
    const rgb = Buffer.alloc(w * h * 3)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        rgb[(y * w + x) * 3] = Math.round((x / (w - 1)) * 255)
        rgb[(y * w + x) * 3 + 2] = 200
      }
    const raw = () => sharp(rgb, { raw: { width: w, height: h, channels: 3 } })

    it('decodes png, jpg, tiff, webp, bmp, 16-bit, gray, rgba, cmyk and EXIF-rotated files alike', async () => {
      dir = await mkdtemp(join(tmpdir(), 'pbas-img-'))
      const files: Record<string, Buffer> = {
        'a.png': await raw().png().toBuffer(),
        'a.jpg': await raw().jpeg({ quality: 100 }).toBuffer(),
        'a.tif': await raw().tiff().toBuffer(),
        'a.webp': await raw().webp({ lossless: true }).toBuffer(),
        'a16.png': await raw().toColourspace('rgb16').png().toBuffer(),
        'rgba.png': await raw().ensureAlpha(0.5).png().toBuffer(),
        'cmyk.jpg': await raw().toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer(),
      }
      const rgba = Buffer.alloc(w * h * 4)
      for (let i = 0; i < w * h; i++) {
        // bmp-ts' encoder takes ABGR byte order
        rgba[i * 4] = 0
        rgba[i * 4 + 1] = rgb[i * 3 + 2]
        rgba[i * 4 + 2] = rgb[i * 3 + 1]
        rgba[i * 4 + 3] = rgb[i * 3]
      }
      files['a.bmp'] = encodeBmp({ data: rgba, width: w, height: h, bitPP: 24 }).data
      for (const [name, buf] of Object.entries(files)) await writeFile(join(dir, name), buf)
      // Stored rotated by 90 degrees with EXIF orientation 6: must come back upright.
      await writeFile(
        join(dir, 'exif.jpg'),
        await raw().rotate(-90).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer(),
      )
      const opts = { resize: 20, crop: 20, fit: 'stretch' as const }
      for (const name of [...Object.keys(files), 'exif.jpg']) {
        const img = await loadImage(join(dir, name), opts)
        expect(img.originalWidth, name).toBe(w)
        expect(img.originalHeight, name).toBe(h)
        const row = 10 * 20 * 3
        const left = img.data[row + 0]
        const right = img.data[row + 19 * 3]
        expect(left, name).toBeLessThan(0.1)
        expect(right, name).toBeGreaterThan(0.85)
        if (name !== 'cmyk.jpg') expect(img.data[row + 10 * 3 + 2], name).toBeCloseTo(200 / 255, 1)
      }
      const gray = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).greyscale().png().toBuffer()
      await writeFile(join(dir, 'g.png'), gray)
      const g = await loadImage(join(dir, 'g.png'), opts)
      expect(g.data[0]).toBeCloseTo(g.data[1], 5)
      expect(g.data[0]).toBeCloseTo(g.data[2], 5)
      await rm(dir, { recursive: true })
    })

    it('names the file when an image is truncated or missing', async () => {
      dir = await mkdtemp(join(tmpdir(), 'pbas-img-'))
      const png = await raw().png().toBuffer()
      await writeFile(join(dir, 'cut.png'), png.subarray(0, 60))
      await expect(loadImage(join(dir, 'cut.png'))).rejects.toThrow(ImageReadError)
      await expect(loadImage(join(dir, 'cut.png'))).rejects.toThrow(/cut\.png/)
      await expect(loadImage(join(dir, 'none.png'))).rejects.toThrow(/none\.png: file not found/)
      await rm(dir, { recursive: true })
    })
  })

  it('keeps a defect at the edge of a wide image in pad mode and loses it in crop mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pbas-img-'))
    const W = 576
    const H = 234
    const mask = Buffer.alloc(W * H)
    for (let y = 100; y < 130; y++) for (let x = 560; x < 576; x++) mask[y * W + x] = 255
    await writeFile(join(dir, 'm.png'), await sharp(mask, { raw: { width: W, height: H, channels: 1 } }).png().toBuffer())
    const size = { width: W, height: H }
    const crop = await loadMask(join(dir, 'm.png'), size, { resize: 256, crop: 256, fit: 'crop' })
    const pad = await loadMask(join(dir, 'm.png'), size, { resize: 256, crop: 256, fit: 'pad' })
    expect(crop.reduce((a, b) => a + b, 0)).toBe(0)
    expect(pad.reduce((a, b) => a + b, 0)).toBeGreaterThan(10)
    await expect(loadMask(join(dir, 'm.png'), { width: 100, height: 100 })).rejects.toThrow(/mask is 576x234 but its image is 100x100/)
    await rm(dir, { recursive: true })
  })
})
