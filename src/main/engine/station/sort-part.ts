// --sort: moves a scored image into pass/, review/ or fail/ atomically, never overwriting a file of the same name.
import { copyFile, link, mkdir, rename, stat, unlink } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { tempName } from '../util/atomic-write'

/** `a/b.png` -> `a/b.png`, `a/b-1.png`, `a/b-2.png`, ... */
function candidate(rel: string, k: number): string {
  if (k === 0) return rel
  const ext = extname(rel)
  return `${rel.slice(0, rel.length - ext.length)}-${k}${ext}`
}

async function inode(path: string): Promise<{ ino: number; dev: number } | null> {
  try {
    const s = await stat(path)
    return { ino: s.ino, dev: s.dev }
  } catch {
    return null
  }
}

/**
 * Links `src` to `<root>/<folder>/<rel>` (or the first free `-k` variant) and returns that path relative to
 * `root`. link() fails rather than replace an existing file, so a name is never overwritten even if another
 * program writes into the sort folder. A name that already is this very file (same inode: a kill came
 * between link and unlink) is reused, so a restart never makes a second copy. The caller unlinks `src`
 * once the move is recorded. Where hard links are impossible (another file system, FAT), the file is
 * copied to a temp name in the folder and linked from there.
 */
export async function linkIntoSortFolder(root: string, src: string, folder: string, rel: string): Promise<string> {
  const me = await inode(src)
  for (let k = 0; ; k++) {
    const destRel = `${folder}/${candidate(rel, k)}`
    const dest = join(root, destRel)
    await mkdir(dirname(dest), { recursive: true })
    const there = await inode(dest)
    if (there) {
      if (me && there.ino === me.ino && there.dev === me.dev) return destRel
      continue
    }
    try {
      await link(src, dest)
      return destRel
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err
    }
    // No hard links here: a complete temp copy, then a no-clobber link, else a rename checked just before.
    const tmp = tempName(dest)
    await copyFile(src, tmp)
    try {
      await link(tmp, dest)
      await unlink(tmp)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        await unlink(tmp)
        continue
      }
      if (await inode(dest)) {
        await unlink(tmp)
        continue
      }
      await rename(tmp, dest)
    }
    return destRel
  }
}

/** Removes the source once the move is recorded (it may already be gone after a restart). */
export async function removeSource(src: string): Promise<void> {
  await unlink(src).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
}
