// The SQLite driver: a workspace.sqlite file through better-sqlite3 (WAL, foreign keys on, a busy wait for other processes).
import Database from 'better-sqlite3'
import { sqliteNativeBinding } from '../sqlite-binding'
import { SqlConstraintError, type ConstraintKind, type SqlDriver, type SqlValue } from './sql-driver'

const KINDS: Record<string, ConstraintKind> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique', SQLITE_CONSTRAINT_PRIMARYKEY: 'unique', SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign-key',
  SQLITE_CONSTRAINT_CHECK: 'check', SQLITE_CONSTRAINT_NOTNULL: 'not-null',
}

function mapped<T>(f: () => T): T {
  try {
    return f()
  } catch (err) {
    const kind = KINDS[(err as { code?: string }).code ?? '']
    throw kind ? new SqlConstraintError(kind, (err as Error).message) : err
  }
}

/** Opens (or creates) a SQLite database file. Another process writing waits up to `busyMs` instead of failing. */
export function openSqlite(file: string, busyMs = 10_000): SqlDriver {
  const db = new Database(file, { nativeBinding: sqliteNativeBinding(), timeout: busyMs })
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  return sqliteDriver(db, file)
}

/** A driver over an open better-sqlite3 handle. */
export function sqliteDriver(db: Database.Database, where: string): SqlDriver {
  const statements = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let s = statements.get(sql)
    if (!s) statements.set(sql, (s = db.prepare(sql)))
    return s
  }
  return {
    dialect: 'sqlite',
    where,
    run: (sql, params: readonly SqlValue[] = []) => mapped(() => ({ changes: prepare(sql).run(...params).changes })),
    get: <T>(sql: string, params: readonly SqlValue[] = []) => mapped(() => prepare(sql).get(...params) as T | undefined),
    all: <T>(sql: string, params: readonly SqlValue[] = []) => mapped(() => prepare(sql).all(...params) as T[]),
    exec: (sql) => void mapped(() => db.exec(sql)),
    // IMMEDIATE takes the write lock at the start, so two processes never both read and then fail to upgrade (SQLITE_BUSY).
    transaction: <T>(fn: () => T) => (db.inTransaction ? fn() : mapped(() => db.transaction(fn).immediate())),
    close: () => db.close(),
  }
}
