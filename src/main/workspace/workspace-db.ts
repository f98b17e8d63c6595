// The workspace database: opens a workspace (a folder with workspace.sqlite, or a postgres:// URL) and brings its schema up to date.
import { mkdirSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { MIGRATIONS, renderMigration } from './migrations'
import type { SqlDriver } from './sql/sql-driver'
import { openSqlite } from './sql/sqlite-driver'
import { openPostgres } from './sql/postgres-driver'

/** A schema problem the user must act on (e.g. a workspace from a newer PBAS Inspect). */
export class WorkspaceError extends Error {}

/** True when the workspace location is a PostgreSQL URL rather than a folder. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location)

// Any 64-bit number of our own: every client migrating a PostgreSQL workspace takes this lock, so only one does.
const MIGRATION_LOCK = 7_245_110_025

function version(db: SqlDriver): number {
  if (db.dialect === 'sqlite') return db.get<{ user_version: number }>('PRAGMA user_version')!.user_version
  db.exec('CREATE TABLE IF NOT EXISTS pbas_schema (version INTEGER NOT NULL)')
  return db.get<{ version: number }>('SELECT version FROM pbas_schema')?.version ?? 0
}

function setVersion(db: SqlDriver, v: number): void {
  if (db.dialect === 'sqlite') return db.exec(`PRAGMA user_version = ${v}`)
  if (db.run('UPDATE pbas_schema SET version = ?', [v]).changes === 0) db.run('INSERT INTO pbas_schema (version) VALUES (?)', [v])
}

/** Applies pending migrations, each in its own transaction; `upTo` stops early (tests of old versions). */
export function migrate(db: SqlDriver, upTo = MIGRATIONS.length): number {
  const step = (): boolean =>
    db.transaction(() => {
      if (db.dialect === 'postgres') db.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK])
      const current = version(db)
      if (current > MIGRATIONS.length)
        throw new WorkspaceError(`This workspace (${db.where}) was written by a newer PBAS Inspect (schema ${current}; this version knows ${MIGRATIONS.length}). Update PBAS Inspect to open it.`)
      if (current >= upTo) return false
      db.exec(renderMigration(MIGRATIONS[current], db.dialect))
      setVersion(db, current + 1)
      return true
    })
  while (step());
  return version(db)
}

/** An open workspace: its database and the folder holding its models, review files, reports and copied images. */
export interface Workspace {
  db: SqlDriver
  /** the folder every client of the workspace reaches (the workspace folder itself for SQLite) */
  files: string
  /** where the workspace is, as the user gave it (folder or URL without password) */
  location: string
}

/** Options of {@link openWorkspace}. */
export interface OpenOptions {
  /** a PostgreSQL workspace's shared file folder (recorded by the first client; later ones may omit it) */
  files?: string
}

/**
 * Opens a workspace. A folder holds workspace.sqlite (WAL, foreign keys on) beside its files. A postgres:// URL
 * is a shared workspace: its files live in a folder every client reaches at the same path, recorded in the
 * workspace the first time one is given (`files`).
 */
export function openWorkspace(location: string, opts: OpenOptions = {}): Workspace {
  const postgres = isPostgresUrl(location)
  if (!postgres) mkdirSync(location, { recursive: true })
  const db = postgres ? openPostgres(location) : openSqlite(join(location, 'workspace.sqlite'))
  try {
    migrate(db)
    const files = postgres ? sharedFiles(db, opts.files) : location
    mkdirSync(files, { recursive: true })
    return { db, files, location: postgres ? db.where : location }
  } catch (err) {
    db.close()
    throw err
  }
}

/**
 * The PostgreSQL workspace's file folder, recorded by the first client that gives one. The workspace stores
 * absolute paths into it (models, reviews), so every client must reach it at that same path: another path is
 * refused with what to do rather than opened with records that point nowhere.
 */
function sharedFiles(db: SqlDriver, given: string | undefined): string {
  const recorded = db.get<{ value: string }>("SELECT value FROM workspace_settings WHERE key = 'files'")?.value
  const abs = given ? resolve(given) : undefined
  if (abs && !recorded) {
    db.run("INSERT INTO workspace_settings (key, value) VALUES ('files', ?) ON CONFLICT (key) DO NOTHING", [abs])
    return sharedFiles(db, abs)
  }
  if (recorded && abs && abs !== recorded)
    throw new WorkspaceError(`The PostgreSQL workspace ${db.where} keeps its models and review files in ${recorded}, and its records point there: mount the shared folder at ${recorded} on this machine too (not ${abs}).`)
  if (recorded && isAbsolute(recorded)) return recorded
  throw new WorkspaceError(`The PostgreSQL workspace ${db.where} has no shared folder for its models and review files yet: give one that every station and desk reaches at the same path (\`--files <folder>\`, or "files" in workspace.json).`)
}
