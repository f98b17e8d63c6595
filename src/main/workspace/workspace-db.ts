// The workspace database: opens (or creates) workspace.sqlite and brings its schema up to date.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { MIGRATIONS } from './migrations'
import { sqliteNativeBinding } from './sqlite-binding'

/** A schema problem the user must act on (e.g. a workspace from a newer PBAS Inspect). */
export class WorkspaceError extends Error {}

/** Applies pending migrations, each in its own transaction; `upTo` stops early (tests of old versions). */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): number {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length)
    throw new WorkspaceError(`This workspace was written by a newer PBAS Inspect (schema ${current}; this version knows ${MIGRATIONS.length}). Update PBAS Inspect to open it.`)
  for (let v = current; v < upTo; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v])
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  return db.pragma('user_version', { simple: true }) as number
}

/** Opens the workspace folder's database with foreign keys on and WAL journaling (safe on crashes). */
export function openWorkspace(dir: string): Database.Database {
  mkdirSync(dir, { recursive: true })
  const db = new Database(join(dir, 'workspace.sqlite'), { nativeBinding: sqliteNativeBinding() })
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  try {
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}
