// Test helper: writes small synthetic images and data set folders into temp directories.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import sharp from 'sharp'

/** Writes a w x h PNG (gray level `value`, or RGB noise when value is undefined) creating folders. */
export async function writePng(path: string, w = 16, h = 16, value?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const channels = value === undefined ? 3 : 1
  const buf = Buffer.alloc(w * h * channels)
  for (let i = 0; i < buf.length; i++) buf[i] = value ?? (i * 37) % 251
  await writeFile(path, await sharp(buf, { raw: { width: w, height: h, channels } }).png().toBuffer())
}

/** Writes each listed path as a PNG (masks end in _mask.png and get value 255). */
export async function writeTree(root: string, files: string[], w = 16, h = 16): Promise<void> {
  for (const f of files) await writePng(`${root}/${f}`, w, h, f.includes('mask') || f.includes('Masks') ? 255 : undefined)
}
