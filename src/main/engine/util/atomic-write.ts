// Atomic file writes: write a temp file beside the target, then rename over it.
import { existsSync } from 'node:fs'
import { mkdir, open, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'

/** A unique temp name in the target's folder (same file system, so the final rename is atomic). */
export function tempName(target: string): string {
  return `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
}

async function viaTemp(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempName(target)
  try {
    await write(tmp)
    await rename(tmp, target)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
}

/**
 * Writes data so readers see either the old file or the complete new one, never a partial file. Several
 * parts (a header and a view of a large array) are written as they are, one after the other: large feature
 * entries are not copied into one buffer first.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  if (typeof data === 'string' || data instanceof Uint8Array) return viaTemp(target, (tmp) => writeFile(tmp, data))
  return viaTemp(target, async (tmp) => {
    const file = await open(tmp, 'w')
    try {
      for (const part of data) {
        // A regular file takes a write whole in practice; the loop keeps a short write from truncating it.
        for (let at = 0; at < part.byteLength; ) at += (await file.write(part, at, part.byteLength - at)).bytesWritten
      }
    } finally {
      await file.close()
    }
  })
}

/**
 * Writes a whole folder atomically: `fill` writes into a fresh temp folder beside `dir`, which then replaces
 * `dir` by rename (the old one is removed only after the new one is in place), so readers never see a mix.
 */
export async function replaceDirAtomic(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${dir}.${process.pid}.tmp`
  await rm(tmp, { recursive: true, force: true })
  await mkdir(tmp, { recursive: true })
  try {
    await fill(tmp)
  } catch (err) {
    await rm(tmp, { recursive: true, force: true })
    throw err
  }
  if (existsSync(dir)) {
    const old = `${dir}.${process.pid}.old`
    await rename(dir, old)
    await rename(tmp, dir)
    await rm(old, { recursive: true, force: true })
  } else await rename(tmp, dir)
}
