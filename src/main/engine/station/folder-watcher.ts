// Finds image files that have been completely written into a drop folder (or its subfolders), by polling.
import { lstat, readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { isImagePath } from '../image/open-image'
import { nonFileReason } from '../data/list-files'

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
  /** set when the entry bears an image's name but is no file to read (a FIFO, a dangling link...): why */
  leftOut?: string
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

  private async list(dir: string, top: boolean, out: string[], odd: Map<string, string>): Promise<void> {
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
        if (!(top && (SORT_FOLDERS as readonly string[]).includes(e.name))) await this.list(p, false, out, odd)
      } else if (e.isFile() && isImagePath(e.name)) out.push(p)
      else if (isImagePath(e.name)) {
        // A link to an image is followed; a FIFO, a device, a dangling link is reported once, never opened.
        const reason = await nonFileReason(p)
        if (reason === null) out.push(p)
        else odd.set(p, reason)
      }
    }
  }

  /** One poll: the file versions that became complete since the last one, in name order. */
  async poll(): Promise<CompleteFile[]> {
    const paths: string[] = []
    const odd = new Map<string, string>()
    await this.list(this.dir, true, paths, odd)
    paths.sort()
    const t = this.now()
    const present = new Set<string>()
    const done: CompleteFile[] = []
    for (const [path, reason] of [...odd].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const rel = relative(this.dir, path).split(sep).join('/')
      const st = await lstat(path).catch(() => null)
      if (!st) continue
      present.add(rel)
      const prev = this.seen.get(rel)
      if (prev && prev.mtimeMs === st.mtimeMs && prev.size === -1) continue
      this.seen.set(rel, { size: -1, mtimeMs: st.mtimeMs, since: t, reported: true, checkAt: t + RECHECK_MS })
      done.push({ rel, path, size: 0, mtimeMs: st.mtimeMs, ino: st.ino, completedAt: t, leftOut: reason })
    }
    const toStat: { path: string; rel: string }[] = []
    for (const path of paths) {
      const rel = relative(this.dir, path).split(sep).join('/')
      present.add(rel)
      const prev = this.seen.get(rel)
      // Stat'ing every file of a folder that keeps its parts (no --sort) on every poll would cost more than scoring.
      if (!prev?.reported || t >= prev.checkAt) toStat.push({ path, rel })
    }
    const stats = await Promise.all(toStat.map((f) => stat(f.path).catch(() => null)))
    toStat.forEach(({ path, rel }, i) => {
      const st = stats[i]
      if (!st) return void present.delete(rel) // renamed or removed between listing and stat
      const prev = this.seen.get(rel)
      if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
        // New, or changed since the last poll. Already old at first sight: moved or renamed in, finished.
        // (An empty file is reported too once settled: the station says it is empty, rather than nothing.)
        const old = t - st.mtimeMs >= this.settleMs
        this.seen.set(rel, { size: st.size, mtimeMs: st.mtimeMs, since: t, reported: old, checkAt: t + RECHECK_MS })
        if (old) done.push({ rel, path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, completedAt: t })
        return
      }
      prev.checkAt = t + RECHECK_MS
      if (prev.reported || t - prev.since < this.settleMs) return
      prev.reported = true
      done.push({ rel, path, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, completedAt: t })
    })
    for (const rel of this.seen.keys()) if (!present.has(rel)) this.seen.delete(rel)
    return done
  }
}
