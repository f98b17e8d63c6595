// New files that never replace an existing one: a free name (`stem-2.png`...) and an exclusive, atomic placement.
import { existsSync } from 'node:fs'
import { link, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempName } from './atomic-write'

/** `stem` or `stem-2`, `stem-3`... : the first for which no `stem<ext>` exists in `dir` (nor in `taken`) for every ext. */
export function freshStem(dir: string, stem: string, exts: readonly string[], taken?: Set<string>): string {
  const free = (s: string) => !taken?.has(s) && exts.every((e) => !existsSync(join(dir, `${s}${e}`)))
  let name = stem
  for (let k = 2; !free(name); k++) name = `${stem}-${k}`
  taken?.add(name)
  return name
}

/**
 * Puts a finished temp file at `target` only if nothing is there (a hard link fails on an existing name, so
 * another writer's or an earlier run's file is never replaced), then removes the temp name.
 */
export async function placeNew(tmp: string, target: string): Promise<void> {
  try {
    await link(tmp, target)
  } finally {
    await unlink(tmp).catch(() => {})
  }
}

/** Writes `data` as a new file `stem<ext>` (or `stem-2<ext>`... if taken) in `dir`, atomically; returns its path. */
export async function writeFreshFile(dir: string, stem: string, ext: string, data: string | Uint8Array, taken?: Set<string>): Promise<string> {
  for (;;) {
    const target = join(dir, `${freshStem(dir, stem, [ext], taken)}${ext}`)
    const tmp = tempName(target)
    await writeFile(tmp, data)
    try {
      await placeNew(tmp, target)
      return target
    } catch (err) {
      // Another writer took the name between the check and the link: try the next one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
}
