// `--region FILE`: a JSON region or a mask image, and the messages a bad one gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { isInspected } from '../../../shared/image/region'
import { readRegionFile } from './read-region'

let dir: string
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'pbas-read-region-'))))
afterAll(async () => rm(dir, { recursive: true, force: true }))

describe('readRegionFile', () => {
  it('reads a JSON region', async () => {
    const file = join(dir, 'r.json')
    await writeFile(file, JSON.stringify({ imageWidth: 100, imageHeight: 50, inspect: [{ type: 'rect', x: 10, y: 5, width: 80, height: 40 }] }))
    const r = await readRegionFile(file)
    expect(r.ignore).toEqual([])
    expect(isInspected(r, 50, 25)).toBe(true)
    expect(isInspected(r, 5, 25)).toBe(false)
  })

  it('reads a mask image: white is inspected, black ignored', async () => {
    const px = Buffer.alloc(40 * 20, 255)
    for (let y = 0; y < 20; y++) for (let x = 0; x < 10; x++) px[y * 40 + x] = 0
    const file = join(dir, 'mask.png')
    await sharp(px, { raw: { width: 40, height: 20, channels: 1 } }).png().toFile(file)
    const r = await readRegionFile(file)
    expect([r.imageWidth, r.imageHeight]).toEqual([40, 20])
    expect(isInspected(r, 5, 10)).toBe(false)
    expect(isInspected(r, 15, 10)).toBe(true)
  })

  it('names the file and says what to do when it cannot be used', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, '{ "imageWidth": 10,')
    await expect(readRegionFile(bad)).rejects.toThrow(`the region file ${bad} is not valid JSON`)
    const black = join(dir, 'black.png')
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toFile(black)
    await expect(readRegionFile(black)).rejects.toThrow(`the mask image ${black} is black everywhere`)
    const wrong = join(dir, 'wrong.json')
    await writeFile(wrong, JSON.stringify({ imageWidth: 10, imageHeight: 10, ignore: [{ type: 'rect', x: 5, y: 5, width: 20, height: 2 }] }))
    await expect(readRegionFile(wrong)).rejects.toThrow(`${wrong}: a shape reaches outside the 10 x 10 photo`)
  })
})
