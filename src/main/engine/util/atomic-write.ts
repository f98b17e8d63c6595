// Atomic file writes: write a temp file beside the target, then rename over it.
import { copyFile, rename, unlink, writeFile } from 'node:fs/promises'
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

/** Writes data so readers see either the old file or the complete new one, never a partial file. */
export function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  return viaTemp(target, (tmp) => writeFile(tmp, data))
}

/** Copies a file atomically (temp copy + rename). */
export function copyFileAtomic(source: string, target: string): Promise<void> {
  return viaTemp(target, (tmp) => copyFile(source, tmp))
}
