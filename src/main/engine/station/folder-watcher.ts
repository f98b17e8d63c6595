// Finds image files that have been completely written into a drop folder (or its subfolders), by polling.
import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { isImagePath } from '../image/open-image'

/** The sort folders at the top of a watched folder; never watched (their files were scored already). */
export const SORT_FOLDERS = ['pass', 'review', 'fail'] as const

/** A file version that is complete: its size and modification time no longer change. */
export interface CompleteFile {
  /** path relative to the watched folder, with '/' separators */
  rel: string
  path: string
  size: number
  mtimeMs: number
  ino: number
  /** Date.now() when the watcher decided the file was complete */
  completedAt: number
}

/** Polling settings: a file is complete when unchanged for `settleMs`, seen on at least two polls. */
export interface WatchOptions {
  settleMs?: number
}

/**
 * Names a writer uses while a file is unfinished (hidden, editor/backup, download and copy temp names):
 * never scored, whatever their extension. Their final rename into a real name is what gets scored.
 */
export function isPartialName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~') || name.endsWith('~') || /\.(tmp|temp|part|partial|crdownload|download|filepart|!ut|swp)$/i.test(name)
}

/** The key of one version of a file: the same name rewritten is a new part. */
export function versionKey(f: { rel: string; size: number; mtimeMs: number }): string {
  return `${f.rel}\u0000${f.size}\u0000${Math.round(f.mtimeMs)}`
}

interface Seen {
  size: number
  mtimeMs: number
  /** when this size and mtime were first observed */
  since: number
  reported: boolean
  /** reported files are stat'ed again only from this time on (a rewrite under the same name is rare) */
  checkAt: number
}

/** How often a reported file is checked for a rewrite under its name; new and unfinished files every poll. */
const RECHECK_MS = 2000

/**
 * Each poll lists the folder tree and stats every image file. A version is reported once, when its size and
 * mtime have stayed the same for `settleMs` across polls, or at first sight if its mtime is already older
 * than that (a file renamed or moved in keeps the time it was written, so it need not wait). A file that
 * changes again is a new version and is reported again once it settles (files already reported are
 * checked for that every 2 s rather than on every poll).
 */
export class FolderWatcher {
  private readonly seen = new Map<string, Seen>()
  private readonly settleMs: number

  constructor(
    readonly dir: string,
    opts: WatchOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.settleMs = opts.settleMs ?? 500
  }

  private async list(dir: string, top: boolean, out: string[]): Promise<void> {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return // a subfolder removed while we looked
    }
    for (const e of entries) {
      if (isPartialName(e.name)) continue
      const p = join(dir, e.name)
      if (e.isDirectory()) {
        if (!(top && (SORT_FOLDERS as readonly string[]).includes(e.name))) await this.list(p, false, out)
      } else if (e.isFile() && isImagePath(e.name)) out.push(p)
    }
  }

  /** One poll: the file versions that became complete since the last one, in name order. */
  async poll(): Promise<CompleteFile[]> {
    const paths: string[] = []
    await this.list(this.dir, true, paths)
    paths.sort()
    const t = this.now()
    const present = new Set<string>()
    const toStat: { path: string; rel: string }[] = []
    for (const path of paths) {
      const rel = relative(this.dir, path).split(sep).join('/')
      present.add(rel)
      const prev = this.seen.get(rel)
      // Stat'ing every file of a folder that keeps its parts (no --sort) on every poll would cost more than scoring.
      if (!prev?.reported || t >= prev.checkAt) toStat.push({ path, rel })
    }
    const stats = await Promise.all(toStat.map((f) => stat(f.path).catch(() => null)))
    const done: CompleteFile[] = []
    toStat.forEach(({ path, rel }, i) => {
      const st = stats[i]
      if (!st) return void present.delete(rel) // renamed or removed between listing and stat
      const prev = this.seen.get(rel)
      if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
        // New, or changed since the last poll. Already old at first sight: moved or renamed in, finished.
        const old = t - st.mtimeMs >= this.settleMs && st.size > 0
        this.seen.set(rel, { size: st.size, mtimeMs: st.mtimeMs, since: t, reported: old, checkAt: t + RECHECK_MS })
        if (old) done.push({ rel, path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, completedAt: t })
        return
      }
      prev.checkAt = t + RECHECK_MS
      if (prev.reported || st.size === 0 || t - prev.since < this.settleMs) return
      prev.reported = true
      done.push({ rel, path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, completedAt: t })
    })
    for (const rel of this.seen.keys()) if (!present.has(rel)) this.seen.delete(rel)
    return done
  }
}
