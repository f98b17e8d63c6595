import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { computeGeometry, inputWindow } from '../../../shared/image/geometry'
import { reviewPhoto } from './photo'

describe('the network input on the photo', () => {
  it('is the crop window for crop, a larger square for pad, the whole photo for stretch', () => {
    // 300 x 200 photo, shorter side to 100, centre crop 100: the middle 200 x 200 of the photo.
    expect(inputWindow(300, 200, computeGeometry(300, 200, { resize: 100, crop: 100, fit: 'crop' }))).toEqual({ x: 50, y: 0, w: 200, h: 200 })
    // pad: longer side to 100, a 300 x 300 square centred on the photo, reaching about 50 px above and below it.
    const pad = inputWindow(300, 200, computeGeometry(300, 200, { resize: 100, crop: 100, fit: 'pad' }))
    expect(pad.x).toBeCloseTo(0)
    expect(pad.w).toBeCloseTo(300)
    // rounding to whole input pixels (67 px tall, 16 px of padding above) moves it by a few photo pixels
    expect(Math.abs(pad.y + 50)).toBeLessThan(3)
    expect(inputWindow(300, 200, computeGeometry(300, 200, { resize: 64, crop: 64, fit: 'stretch' }))).toEqual({ x: 0, y: 0, w: 300, h: 200 })
  })

  it('reviewPhoto sends the photo’s own pixels, losslessly, at its own size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pbas-photo-'))
    const raw = Buffer.alloc(90 * 60 * 3)
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 251
    const file = join(dir, 'part.png')
    await sharp(raw, { raw: { width: 90, height: 60, channels: 3 } }).png().toFile(file)
    const p = await reviewPhoto(file, { resize: 32, crop: 32, fit: 'crop' })
    expect([p.width, p.height, p.scale]).toEqual([90, 60, 1])
    expect(p.input).toEqual({ x: 15, y: 0, w: 60, h: 60 })
    const back = await sharp(Buffer.from(p.url.slice(p.url.indexOf(',') + 1), 'base64')).removeAlpha().raw().toBuffer()
    expect(back.equals(raw)).toBe(true)
  })
})
