// Moves a workspace's records from one database to another (SQLite <-> PostgreSQL), verified table by table.
import { createHash } from 'node:crypto'
import { cpSync, existsSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { openWorkspace, WorkspaceError, type Workspace } from './workspace-db'
import type { SqlDriver, SqlValue } from './sql/sql-driver'

/** Every table, parents before children (foreign keys), with the columns that hold paths into the file folder. */
const TABLES: readonly { name: string; key: string; paths?: readonly string[] }[] = [
  { name: 'products', key: 'id' },
  { name: 'datasets', key: 'id', paths: ['root'] },
  { name: 'runs', key: 'id', paths: ['model_dir'] },
  { name: 'run_epochs', key: 'run_id, epoch' },
  { name: 'verdicts', key: 'run_id, image_path' },
  { name: 'verdict_history', key: 'run_id, image_path, at, reviewer' },
  { name: 'evaluations', key: 'id', paths: ['dir'] },
  { name: 'evaluation_items', key: 'evaluation_id, idx', paths: ['image_path', 'nearest_path'] },
  { name: 'training_additions', key: 'product_id, image_path', paths: ['image_path'] },
  { name: 'run_cost_measures', key: 'key' },
  { name: 'stations', key: 'id' },
]

/** What was moved: rows per table, and whether the file folder was copied. */
export interface MoveResult {
  rows: Record<string, number>
  filesCopied: boolean
  from: string
  to: string
  files: string
}

/**
 * A digest of a table's rows in key order (numbers as numbers, so 1 and 1.0 agree across databases); `path`
 * rewrites the path columns first (to compare a moved copy whose files moved too).
 */
export function tableDigest(db: SqlDriver, table: string, path: (v: unknown) => unknown = (v) => v): { rows: number; digest: string } {
  const t = TABLES.find((x) => x.name === table)!
  const rows = db.all<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${t.key}`)
  const h = createHash('sha256')
  for (const r of rows) h.update(JSON.stringify(Object.keys(r).sort().map((k) => [k, t.paths?.includes(k) ? path(r[k]) : r[k]])))
  return { rows: rows.length, digest: h.digest('hex') }
}

/** The tables a workspace move copies, parents first. */
export const WORKSPACE_TABLES: readonly string[] = TABLES.map((t) => t.name)

/** Rewrites a path under the old file folder to the same place under the new one. */
export const moved = (from: string, to: string) => (v: unknown) => (typeof v === 'string' && from !== to && (v === from || v.startsWith(from + sep)) ? to + v.slice(from.length) : v)

/**
 * Copies every record of the workspace at `from` into the empty workspace at `to` (a folder or a postgres:// URL),
 * in one transaction on the target, then checks each table's rows and digest. Files: a SQLite workspace's files are
 * its folder; with `files` naming another folder, the models, reviews, reports and copied images are copied there and
 * the paths pointing into them rewritten. The source is left as it was.
 */
export function moveWorkspace(from: string, to: string, opts: { files?: string } = {}): MoveResult {
  if (resolve(from) === resolve(to) && !/^postgres/i.test(from)) throw new WorkspaceError('the source and the target are the same workspace')
  const src = openWorkspace(from)
  let dst: Workspace | undefined
  try {
    const files = resolve(opts.files ?? src.files)
    dst = openWorkspace(to, { files: /^postgres/i.test(to) ? files : undefined })
    const target = dst
    const filesTo = target.files
    const busy = TABLES.filter((t) => target.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.name}`)!.n > 0).map((t) => t.name)
    if (busy.length) throw new WorkspaceError(`the target workspace ${target.location} is not empty (${busy.join(', ')}); move into a new one`)
    const rewrite = moved(src.files, filesTo)
    const rows: Record<string, number> = {}
    target.db.transaction(() => {
      for (const t of TABLES) {
        const all = src.db.all<Record<string, unknown>>(`SELECT * FROM ${t.name} ORDER BY ${t.key}`)
        rows[t.name] = all.length
        if (!all.length) continue
        const cols = Object.keys(all[0])
        const insert = `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`
        for (const r of all) target.db.run(insert, cols.map((c) => (t.paths?.includes(c) ? rewrite(r[c]) : r[c]) as SqlValue))
      }
    })
    // Verified after the commit, from what the target now holds.
    for (const t of TABLES) {
      const a = tableDigest(src.db, t.name, rewrite)
      const b = tableDigest(target.db, t.name)
      if (a.rows !== b.rows || a.digest !== b.digest)
        throw new WorkspaceError(`moving ${t.name} did not verify (${a.rows} rows here, ${b.rows} there${a.rows === b.rows ? ', different content' : ''}); the source is unchanged`)
    }
    let filesCopied = false
    if (filesTo !== src.files)
      for (const d of ['models', 'reviews', 'reports', 'images'])
        if (existsSync(join(src.files, d))) {
          cpSync(join(src.files, d), join(filesTo, d), { recursive: true, errorOnExist: true, force: false })
          filesCopied = true
        }
    return { rows, filesCopied, from: src.location, to: target.location, files: filesTo }
  } finally {
    dst?.db.close()
    src.db.close()
  }
}
