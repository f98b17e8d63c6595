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

/** Sorted sub-folder names (hidden folders skipped). */
export async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(byName)
}

/** Sorted absolute paths of the image files directly inside `dir` (hidden files skipped). */
export async function listImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && isImagePath(e.name))
    .map((e) => join(dir, e.name))
    .sort(byName)
}

/** File name without its extension. */
export function stem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}
