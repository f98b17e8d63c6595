// Atomic file writes: write a temp file beside the target, then rename over it.
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises'
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
