// Copies a data set folder into the workspace: regular files only (links dereferenced), all or nothing, with what was left out and why.
import { constants } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { byName, nonFileReason, type LeftOutEntry } from './list-files'
import { SIZE_CAPS } from '../util/file-policy'
import { InputError } from '../util/errors'
import { CancelledError, throwIfCancelled, type JobOptions } from '../util/job'

/** What an import copied and what it left out. */
export interface ImportResult {
  dest: string
  files: number
  bytes: number
  leftOut: LeftOutEntry[]
}

const CHUNK = 8 * 2 ** 20

/**
 * Copies one regular file through a handle opened non-blocking and checked on the handle, in chunks, so a
 * FIFO or device swapped in after the listing is refused rather than blocking or filling the disk.
 * Returns the bytes copied, or the reason it was left out.
 */
async function copyRegular(src: string, dest: string): Promise<number | string> {
  let from
  try {
    from = await open(src, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    return 'not readable'
  }
  try {
    const s = await from.stat()
    if (!s.isFile()) return 'not a regular file'
    if (s.size > SIZE_CAPS.image) return `larger than the ${SIZE_CAPS.image / 2 ** 20} MiB limit for files of a data set`
    const to = await open(dest, 'wx')
    try {
      const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, s.size)))
      let pos = 0
      for (;;) {
        const { bytesRead } = await from.read(buf, 0, buf.length, pos)
        if (bytesRead === 0) break
        await to.write(buf, 0, bytesRead)
        pos += bytesRead
      }
      return pos
    } finally {
      await to.close()
    }
  } finally {
    await from.close()
  }
}

/**
 * Copies `src` into a new folder `dest`: first into a temp folder beside it, renamed into place only once
 * every file is copied, so a failure or a kill never leaves a partial data set under `dest`. Links to
 * files are copied as the files they point to; links to folders, FIFOs, devices, sockets and dangling
 * links are left out and listed with why. Hidden files are not copied (they are never read as images).
 */
export async function importFolder(src: string, dest: string, opts: JobOptions = {}): Promise<ImportResult> {
  if (!(await stat(src).catch(() => null))?.isDirectory()) throw new InputError(`${src} is not a folder; choose the data set folder to copy`)
  const tmp = `${dest}.${process.pid}.tmp`
  const result: ImportResult = { dest, files: 0, bytes: 0, leftOut: [] }
  const walk = async (from: string, to: string) => {
    await mkdir(to)
    for (const e of (await readdir(from, { withFileTypes: true })).sort((a, b) => byName(a.name, b.name))) {
      throwIfCancelled(opts.signal)
      if (e.name.startsWith('.')) continue
      const p = join(from, e.name)
      if (e.isDirectory()) {
        await walk(p, join(to, e.name))
        continue
      }
      const reason = e.isSymbolicLink() && (await stat(p).catch(() => null))?.isDirectory() ? 'a link to a folder (not followed, so a loop cannot copy forever)' : await nonFileReason(p)
      const copied = reason ?? (await copyRegular(p, join(to, e.name)))
      if (typeof copied === 'string') result.leftOut.push({ path: p, reason: copied })
      else {
        result.files++
        result.bytes += copied
      }
    }
  }
  await rm(tmp, { recursive: true, force: true })
  try {
    await walk(src, tmp)
    await rename(tmp, dest)
  } catch (err) {
    await rm(tmp, { recursive: true, force: true })
    if (err instanceof InputError || err instanceof CancelledError) throw err
    // The system's words (with workspace paths) stay in the log; the user gets what happened and what to do.
    throw new InputError(`Could not copy ${src} into the workspace (${(err as NodeJS.ErrnoException).code ?? 'error'}); nothing was copied. Check free disk space and that every file is readable, or import the folder without copying.`)
  }
  return result
}
