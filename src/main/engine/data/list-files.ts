// Deterministic folder listings (sorted by code point, so every machine sees the same order).
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isImagePath } from '../image/open-image'

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

/**
 * Entries of `dir` that are (or link to) the wanted kind. Symbolic links are followed, so a data set made of
 * links works; a broken or looping link (ENOENT, ELOOP) is skipped like any other non-match.
 */
async function entriesOfKind(dir: string, kind: 'file' | 'dir'): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue
    let isKind = kind === 'file' ? e.isFile() : e.isDirectory()
    if (e.isSymbolicLink()) {
      const s = await stat(join(dir, e.name)).catch(() => null)
      isKind = !!s && (kind === 'file' ? s.isFile() : s.isDirectory())
    }
    if (isKind) out.push(e.name)
  }
  return out.sort(byName)
}

/** Sorted sub-folder names (hidden folders skipped; linked folders included). */
export async function listDirs(dir: string): Promise<string[]> {
  return entriesOfKind(dir, 'dir')
}

/** Sorted absolute paths of the image files directly inside `dir` (hidden files skipped; linked files included). */
export async function listImages(dir: string): Promise<string[]> {
  return (await entriesOfKind(dir, 'file')).filter(isImagePath).map((n) => join(dir, n))
}

/** File name without its extension. */
export function stem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}
