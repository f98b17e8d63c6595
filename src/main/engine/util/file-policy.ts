// The one policy for files the user names: regular files only (no devices, pipes, sockets), a size cap per kind, bounded reads.
import { constants } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { InputError } from './errors'

/** What a file is for; each kind has its own size cap. */
export type FileKind = 'weights' | 'image' | 'json'

/** Largest file of each kind the product reads (WideResNet50-2 weights are 263 MB; a 100 MP TIFF ~300 MB). */
export const SIZE_CAPS: Record<FileKind, number> = { weights: 2 * 2 ** 30, image: 512 * 2 ** 20, json: 64 * 2 ** 20 }

const NAMES: Record<FileKind, string> = { weights: 'weights', image: 'image', json: 'JSON' }

/**
 * A file the policy refuses. One message for missing, unreadable and special files (a device, a pipe), so a
 * request cannot probe which paths exist; the size message says the cap.
 */
export class FilePolicyError extends InputError {}

/** Why a path is refused; the same words whether it is missing, unreadable or special. */
export const NOT_A_FILE = 'file not found, not readable, or not a regular file'

const refuse = (path: string, kind: FileKind) => new FilePolicyError(`Cannot use ${path} as a ${NAMES[kind]} file: ${NOT_A_FILE}. Choose an existing file.`)

/** Checks that `path` is a regular file within its kind's cap (symbolic links are followed); returns its size. */
export async function checkRegularFile(path: string, kind: FileKind): Promise<number> {
  let s
  try {
    s = await stat(path)
  } catch {
    throw refuse(path, kind)
  }
  if (!s.isFile()) throw refuse(path, kind)
  if (s.size > SIZE_CAPS[kind]) throw new FilePolicyError(`Cannot use ${path}: ${NAMES[kind]} files are limited to ${SIZE_CAPS[kind] / 2 ** 20} MiB and it holds ${(s.size / 2 ** 20).toFixed(0)} MiB.`)
  return s.size
}

/**
 * Reads a regular file of `kind` whole, never more than its cap. Opened non-blocking and checked again on the
 * open handle, so a pipe swapped in after the check cannot stall the process.
 */
export async function readRegularFile(path: string, kind: FileKind): Promise<Buffer> {
  await checkRegularFile(path, kind)
  let fh
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    throw refuse(path, kind)
  }
  try {
    const s = await fh.stat()
    if (!s.isFile() || s.size > SIZE_CAPS[kind]) throw refuse(path, kind)
    const buf = Buffer.alloc(s.size)
    let off = 0
    while (off < s.size) {
      const { bytesRead } = await fh.read(buf, off, s.size - off, off)
      if (bytesRead === 0) break
      off += bytesRead
    }
    return off === s.size ? buf : buf.subarray(0, off)
  } finally {
    await fh.close()
  }
}
