// Deterministic synthetic product for the offline demo: textured metal parts with scratches and dents.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import { mulberry32 } from '../util/random'

/** How many images of each kind to generate. */
export interface SyntheticSpec {
  size: number
  trainGood: number
  testGood: number
  testScratch: number
  testDent: number
  seed: number
}

export const DEFAULT_SYNTHETIC: SyntheticSpec = { size: 192, trainGood: 40, testGood: 10, testScratch: 8, testDent: 8, seed: 7 }

type Defect = 'good' | 'scratch' | 'dent'

/** Renders one part: a brushed disc on a dark fixture, optionally with a defect; returns RGB and mask. */
function renderPart(size: number, defect: Defect, rand: () => number): { rgb: Buffer; mask: Buffer } {
  const rgb = Buffer.alloc(size * size * 3)
  const mask = Buffer.alloc(size * size)
  const cx = size / 2 + (rand() - 0.5) * size * 0.04
  const cy = size / 2 + (rand() - 0.5) * size * 0.04
  const r = size * (0.4 + rand() * 0.02)
  const phase = rand() * Math.PI * 2
  const tone = 150 + rand() * 20
  // Defect geometry, inside the disc.
  const ang = rand() * Math.PI
  const dist = rand() * r * 0.5
  const dx = cx + Math.cos(ang * 2) * dist
  const dy = cy + Math.sin(ang * 2) * dist
  const len = size * (0.12 + rand() * 0.1)
  const dentR = size * (0.035 + rand() * 0.02)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x
      const rr = Math.hypot(x - cx, y - cy)
      let v: number
      if (rr < r) {
        // Concentric machining marks plus fine noise.
        v = tone + 12 * Math.sin(rr * 0.9 + phase) + 6 * Math.sin((x + y) * 0.21) + (rand() - 0.5) * 10 - (rr / r) * 25
        if (defect === 'scratch') {
          const ux = Math.cos(ang), uy = Math.sin(ang)
          const t = (x - dx) * ux + (y - dy) * uy
          const d = Math.abs(-(x - dx) * uy + (y - dy) * ux)
          if (Math.abs(t) < len / 2 && d < 1.6) {
            v -= 70 * (1 - d / 1.6) + 20
            mask[i] = 255
          }
        } else if (defect === 'dent') {
          const d = Math.hypot(x - dx, y - dy)
          if (d < dentR) {
            // Shaded bowl: dark on one side, a highlight on the other.
            v += 60 * ((x - dx) / dentR) * Math.sqrt(1 - (d / dentR) ** 2) - 25
            mask[i] = 255
          }
        }
      } else v = 35 + (rand() - 0.5) * 8
      const c = Math.max(0, Math.min(255, v))
      rgb[i * 3] = c
      rgb[i * 3 + 1] = Math.max(0, Math.min(255, c * 0.98 + 2))
      rgb[i * 3 + 2] = Math.max(0, Math.min(255, c * 0.95 + 6))
    }
  return { rgb, mask }
}

/** Writes the product in MVTec layout under `dir` (train/good, test/{good,scratch,dent}, ground_truth). */
export async function writeSyntheticProduct(dir: string, spec: SyntheticSpec = DEFAULT_SYNTHETIC, opts: JobOptions = {}): Promise<void> {
  const rand = mulberry32(spec.seed)
  const plan: [string, Defect, number][] = [
    ['train/good', 'good', spec.trainGood],
    ['test/good', 'good', spec.testGood],
    ['test/scratch', 'scratch', spec.testScratch],
    ['test/dent', 'dent', spec.testDent],
  ]
  const total = plan.reduce((a, p) => a + p[2], 0)
  const eta = new EtaTracker('generate', total)
  let done = 0
  for (const [sub, defect, n] of plan) {
    await mkdir(join(dir, sub), { recursive: true })
    if (defect !== 'good') await mkdir(join(dir, 'ground_truth', defect), { recursive: true })
    for (let k = 0; k < n; k++) {
      throwIfCancelled(opts.signal)
      const name = String(k).padStart(3, '0')
      const { rgb, mask } = renderPart(spec.size, defect, rand)
      const raw = { raw: { width: spec.size, height: spec.size, channels: 3 as const } }
      await writeFile(join(dir, sub, `${name}.png`), await sharp(rgb, raw).png().toBuffer())
      if (defect !== 'good')
        await writeFile(
          join(dir, 'ground_truth', defect, `${name}_mask.png`),
          await sharp(mask, { raw: { width: spec.size, height: spec.size, channels: 1 } }).png().toBuffer(),
        )
      opts.onProgress?.(eta.update(++done))
    }
  }
}
