// Deterministic folder listings (sorted by code point, so every machine sees the same order).
import type { Stats } from 'node:fs'
import { lstat, readdir, readlink, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isImagePath } from '../image/open-image'
import type { DatasetProblem } from './types'

/** Plain code-point order: independent of locale, unlike localeCompare. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** True when `path` is an existing directory. */
export async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/** True when `path` is an existing file. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** What a file-system entry is, in words, when it is not a regular file: why it is left out. */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder'
  if (s.isFIFO()) return 'a named pipe (FIFO)'
  if (s.isSocket()) return 'a socket'
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device'
  return 'not a regular file'
}

/**
 * Why `path` (a directory entry) is not a readable regular file, or null when it is one (links followed):
 * "a named pipe (FIFO), not an image file", "a link to a device (/dev/zero)", "a link to nothing (dangling)".
 */
export async function nonFileReason(path: string): Promise<string | null> {
  const own = await lstat(path).catch(() => null)
  if (!own) return 'removed while it was listed'
  if (own.isFile()) return null
  if (!own.isSymbolicLink()) return `${kindOf(own)}, not a file`
  const target = await readlink(path).catch(() => '?')
  let s: Stats
  try {
    s = await stat(path)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'a link that loops' : `a link to nothing (${target} does not exist)`
  }
  return s.isFile() ? null : `a link to ${kindOf(s)} (${target}), not a file`
}

/** An entry named like an image that is left out, and why (a FIFO, a folder named x.png, a dangling link...). */
export interface LeftOutEntry {
  path: string
  reason: string
}

/**
 * Entries of `dir` that are (or link to) the wanted kind. Symbolic links are followed, so a data set made of
 * links works. Entries that are not of the kind but bear an image's name (when `leftOut` is given) are
 * listed there with why, so nothing is skipped without a word.
 */
async function entriesOfKind(dir: string, kind: 'file' | 'dir', leftOut?: LeftOutEntry[]): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue
    const path = join(dir, e.name)
    let isKind = kind === 'file' ? e.isFile() : e.isDirectory()
    if (e.isSymbolicLink()) {
      const s = await stat(path).catch(() => null)
      isKind = !!s && (kind === 'file' ? s.isFile() : s.isDirectory())
    }
    if (isKind) out.push(e.name)
    else if (leftOut && kind === 'file' && isImagePath(e.name)) {
      const reason = await nonFileReason(path)
      if (reason) leftOut.push({ path, reason })
    }
  }
  return out.sort(byName)
}

/** Sorted sub-folder names (hidden folders skipped; linked folders included). */
export async function listDirs(dir: string): Promise<string[]> {
  return entriesOfKind(dir, 'dir')
}

/**
 * Sorted absolute paths of the image files directly inside `dir` (hidden files skipped; linked files
 * included); image-named entries that are not files go to `leftOut` with why.
 */
export async function listImages(dir: string, leftOut?: LeftOutEntry[]): Promise<string[]> {
  return (await entriesOfKind(dir, 'file', leftOut)).filter(isImagePath).map((n) => join(dir, n))
}

const LEFT_OUT = 'left out: '

/** True for a data set warning made by {@link leftOutWarnings}. */
export function isLeftOutWarning(p: DatasetProblem): boolean {
  return p.severity === 'warning' && p.message.startsWith(LEFT_OUT)
}

/** Left-out entries as data set warnings, so `dataset check`, the import screen and training list them. */
export function leftOutWarnings(leftOut: readonly LeftOutEntry[]): DatasetProblem[] {
  return leftOut.map((x) => ({ severity: 'warning', path: x.path, message: `${LEFT_OUT}${x.reason}` }))
}

/** File name without its extension. */
export function stem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}
