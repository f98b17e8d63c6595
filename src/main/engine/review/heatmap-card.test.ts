import { describe, expect, it } from 'vitest'
import sharp from 'sharp'
import { CARD_WIDTH, heatmapCardPng, type HeatmapCardInput } from './heatmap-card'

/** A 64 px grey part with a hot 16 px square (grey 255) in the middle. */
function part(verdict: HeatmapCardInput['verdict'], score: number): HeatmapCardInput {
  const size = 64
  const grey = Buffer.alloc(size * size)
  for (let y = 24; y < 40; y++) for (let x = 24; x < 40; x++) grey[y * size + x] = 255
  return { image: Buffer.alloc(size * size * 3, 128), grey, size, range: { lo: 0.2, hi: 0.6 }, band: { review: 0.5, fail: 0.6 }, score, verdict, title: 'test/scratch/000.png' }
}

describe('heat-map card', () => {
  it('burns in the flagged-region outline, and a footer with the verdict, score and scale', async () => {
    const png = await heatmapCardPng(part('fail', 0.86))
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    expect(info.width).toBe(CARD_WIDTH)
    expect(info.height).toBeGreaterThan(CARD_WIDTH + 60)
    const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)]
    // The hot square spans 192..320 at 8x: down its middle column, the cyan outline starts near its top edge
    // (the map is resampled bilinearly, so a few pixels in); the inside is heat, not outline.
    const cyan = (y: number) => px(256, y).join() === '0,240,255'
    const first = Array.from({ length: 256 }, (_, y) => y).find(cyan)
    expect(first).toBeGreaterThanOrEqual(188)
    expect(first).toBeLessThanOrEqual(216)
    expect(cyan(256)).toBe(false)
    expect(cyan(100)).toBe(false)
    // Footer: text and the colour scale below the picture (not all white).
    let inked = 0
    for (let y = CARD_WIDTH; y < info.height; y++) for (let x = 0; x < info.width; x++) if (px(x, y)[0] < 120) inked++
    expect(inked).toBeGreaterThan(500)
  })

  it('differs with the verdict and the score', async () => {
    const a = await heatmapCardPng(part('fail', 0.86))
    const b = await heatmapCardPng(part('pass', 0.3))
    expect(a.equals(b)).toBe(false)
  })
})
