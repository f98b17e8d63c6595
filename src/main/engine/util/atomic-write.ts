// Atomic file writes: write a temp file beside the target, then rename over it.
import { copyFile, rename, unlink, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'

function tempName(target: string): string {
  return `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
}

/** Writes data so readers see either the old file or the complete new one, never a partial file. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(target)
  try {
    await writeFile(tmp, data)
    await rename(tmp, target)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
}

/** Copies a file atomically (temp copy + rename). */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  const tmp = tempName(target)
  try {
    await copyFile(source, tmp)
    await rename(tmp, target)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
}

/** Renames a finished temp file into place (for streams written elsewhere). */
export async function commitTempFile(tmp: string, target: string): Promise<void> {
  await rename(tmp, target)
}

export { tempName }
