// A generated wide product (photos 3 : 1, like a strip or a rail) with defects at the far right end, for the whole-image tests.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { mulberry32 } from '../main/engine/util/random'

/** Where the generated defects lie, as a share of the photo's width and height. */
export const WIDE_DEFECT = { x: 0.92, y: 0.5, rx: 0.035, ry: 0.14 } as const

/** Renders one brushed strip; with `defect`, a dark pit at WIDE_DEFECT (its mask too). */
function renderStrip(width: number, height: number, defect: boolean, rand: () => number): { rgb: Buffer; mask: Buffer } {
  const rgb = Buffer.alloc(width * height * 3)
  const mask = Buffer.alloc(width * height)
  const phase = rand() * Math.PI * 2
  const tone = 140 + rand() * 20
  const [cx, cy, rx, ry] = [WIDE_DEFECT.x * width, WIDE_DEFECT.y * height, WIDE_DEFECT.rx * width, WIDE_DEFECT.ry * height]
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      let v = tone + 10 * Math.sin(y * 0.8 + phase) + 4 * Math.sin(x * 0.05) + (rand() - 0.5) * 10
      const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2
      if (defect && d < 1) {
        v -= 90 * (1 - d)
        mask[i] = 255
      }
      const c = Math.max(0, Math.min(255, v))
      rgb.set([c, c * 0.97 + 3, c * 0.94 + 8], i * 3)
    }
  return { rgb, mask }
}

/** Writes an MVTec-layout product of `width` x `height` photos under `dir`: train/good, test/good, test/pit with masks. */
export async function writeWideProduct(dir: string, spec = { width: 192, height: 64, trainGood: 12, testGood: 4, testPit: 3, seed: 3 }): Promise<void> {
  const rand = mulberry32(spec.seed)
  const raw = (channels: 1 | 3) => ({ raw: { width: spec.width, height: spec.height, channels } })
  for (const [sub, n, defect] of [['train/good', spec.trainGood, false], ['test/good', spec.testGood, false], ['test/pit', spec.testPit, true]] as const) {
    await mkdir(join(dir, sub), { recursive: true })
    if (defect) await mkdir(join(dir, 'ground_truth/pit'), { recursive: true })
    for (let k = 0; k < n; k++) {
      const name = String(k).padStart(3, '0')
      const { rgb, mask } = renderStrip(spec.width, spec.height, defect, rand)
      await writeFile(join(dir, sub, `${name}.png`), await sharp(rgb, raw(3)).png().toBuffer())
      if (defect) await writeFile(join(dir, 'ground_truth/pit', `${name}_mask.png`), await sharp(mask, raw(1)).png().toBuffer())
    }
  }
}
