// The one policy for files the user names: regular files only (no devices, pipes, sockets), a size cap per kind, bounded reads.
import { constants } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { InputError } from './errors'

/** What a file is for; each kind has its own size cap. */
export type FileKind = 'weights' | 'image' | 'json'

/**
 * Largest file of each kind the product reads (WideResNet50-2 weights are 263 MB; a 100 MP TIFF ~300 MB).
 * Every cap is far below 2 GiB, so no size can reach a native read's 32-bit length limit.
 */
export const SIZE_CAPS: Record<FileKind, number> = { weights: 2 ** 30, image: 512 * 2 ** 20, json: 64 * 2 ** 20 }

/** Reads go in chunks of this size, so no single native read is ever large. */
const CHUNK = 16 * 2 ** 20

const NAMES: Record<FileKind, string> = { weights: 'weights', image: 'image', json: 'JSON' }

/**
 * A file the policy refuses. One message for missing, unreadable and special files (a device, a pipe), so a
 * request cannot probe which paths exist; the size message says the cap.
 */
export class FilePolicyError extends InputError {}

/** Why a path is refused; the same words whether it is missing, unreadable or special. */
export const NOT_A_FILE = 'file not found, not readable, or not a regular file'

const tooLarge = (path: string, kind: FileKind, size: number) =>
  new FilePolicyError(`Cannot use ${path}: ${NAMES[kind]} files are limited to ${SIZE_CAPS[kind] / 2 ** 20} MiB and it holds ${(size / 2 ** 20).toFixed(0)} MiB; nothing was read.`)

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
  if (s.size > SIZE_CAPS[kind]) throw tooLarge(path, kind, s.size)
  return s.size
}

/** Opens a regular file of `kind` non-blocking and checks it again on the handle (a pipe swapped in after the check cannot stall the process). */
async function openChecked(path: string, kind: FileKind): Promise<{ fh: FileHandle; size: number }> {
  await checkRegularFile(path, kind)
  let fh: FileHandle
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    throw refuse(path, kind)
  }
  const s = await fh.stat()
  if (!s.isFile() || s.size > SIZE_CAPS[kind]) {
    await fh.close()
    throw s.isFile() ? tooLarge(path, kind, s.size) : refuse(path, kind)
  }
  return { fh, size: s.size }
}

/** Reads up to `length` bytes from `position` in chunks; returns the bytes actually there. */
async function readRange(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length)
  let off = 0
  while (off < length) {
    const { bytesRead } = await fh.read(buf, off, Math.min(CHUNK, length - off), position + off)
    if (bytesRead === 0) break
    off += bytesRead
  }
  return off === length ? buf : buf.subarray(0, off)
}

/** Reads a regular file of `kind` whole, never more than its cap, in bounded chunks. */
export async function readRegularFile(path: string, kind: FileKind): Promise<Buffer> {
  const { fh, size } = await openChecked(path, kind)
  try {
    return await readRange(fh, 0, size)
  } finally {
    await fh.close()
  }
}

/**
 * The first `n` bytes of a regular file of `kind` (fewer if it is shorter) and its size: enough to tell an
 * image by its signature before reading the rest, so a large file of zeros costs a few bytes, not its size.
 */
export async function readFileHead(path: string, kind: FileKind, n: number): Promise<{ head: Buffer; size: number }> {
  const { fh, size } = await openChecked(path, kind)
  try {
    return { head: await readRange(fh, 0, Math.min(n, size)), size }
  } finally {
    await fh.close()
  }
}
