// The one interface the workspace stores speak: synchronous statements with `?` parameters, on SQLite or PostgreSQL.

/** Which database a driver talks to (a few statements differ, e.g. schema bookkeeping). */
export type SqlDialect = 'sqlite' | 'postgres'

/** A parameter value both databases take as it is. */
export type SqlValue = string | number | null

/** What a statement changed. */
export interface SqlRunResult {
  changes: number
}

/**
 * A connection to the workspace database. Statements use `?` placeholders and the SQL both databases share
 * (upserts as `INSERT ... ON CONFLICT`, `lower()` for case-blind order). Calls are synchronous: the stores are
 * used inside transactions and from synchronous code, and SQLite is synchronous anyway; the PostgreSQL driver
 * blocks on a worker thread that holds the connection (see postgres-driver.ts).
 */
export interface SqlDriver {
  readonly dialect: SqlDialect
  /** where the database is, for messages (a file path, or a URL without its password) */
  readonly where: string
  run(sql: string, params?: readonly SqlValue[]): SqlRunResult
  get<T>(sql: string, params?: readonly SqlValue[]): T | undefined
  all<T>(sql: string, params?: readonly SqlValue[]): T[]
  /** runs several statements without parameters (migrations) */
  exec(sql: string): void
  /** runs `fn` in one transaction: all its statements or none (nested calls join the outer one) */
  transaction<T>(fn: () => T): T
  close(): void
}

/** Which rule a statement broke, the same on both databases, so stores can name the cause to the user. */
export type ConstraintKind = 'unique' | 'foreign-key' | 'check' | 'not-null'

/** A statement refused by a constraint. */
export class SqlConstraintError extends Error {
  constructor(readonly kind: ConstraintKind, message: string) {
    super(message)
  }
}

/** True when `err` is a constraint error of this kind. */
export const isConstraint = (err: unknown, kind: ConstraintKind): boolean => err instanceof SqlConstraintError && err.kind === kind
