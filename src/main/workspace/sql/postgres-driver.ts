// The PostgreSQL driver: the workspace's synchronous statements answered by a worker thread that holds one `pg` connection.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { SqlConstraintError, type ConstraintKind, type SqlDriver, type SqlValue } from './sql-driver'
import { POSTGRES_WORKER_SOURCE, type PgReply, type PgRequest } from './postgres-worker-source'

const req = createRequire(typeof __filename !== 'undefined' ? __filename : fileURLToPath(import.meta.url))

/** SQLSTATE classes the stores act on. */
const KINDS: Record<string, ConstraintKind> = { '23505': 'unique', '23503': 'foreign-key', '23514': 'check', '23502': 'not-null' }

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (a `?` inside a quoted string stays). */
export function numberedParameters(sql: string): string {
  let n = 0
  let quoted = false
  let out = ''
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted
    out += ch === '?' && !quoted ? `$${++n}` : ch
  }
  return out
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'an unreadable postgres:// URL'
  }
}

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** how long one statement may take before the server cancels it (ms) */
  statementTimeoutMs?: number
  /** how long to wait for a connection (ms) */
  connectTimeoutMs?: number
}

/**
 * Connects to a PostgreSQL workspace. Why a blocking bridge: the stores are synchronous (as better-sqlite3 is),
 * so each call posts the statement to the worker and waits on a shared flag; the wait is bounded by the statement
 * and connect timeouts, after which the call fails with the server named instead of hanging the app.
 */
export function openPostgres(url: string, opts: PostgresOptions = {}): SqlDriver {
  const where = redactedUrl(url)
  const statementTimeoutMs = opts.statementTimeoutMs ?? 30_000
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  const worker = new Worker(POSTGRES_WORKER_SOURCE, {
    eval: true,
    workerData: { pgPath: req.resolve('pg'), url, flag, port: port2, statementTimeoutMs, connectTimeoutMs },
    transferList: [port2],
  })
  worker.unref()
  let closed = false
  let depth = 0
  let seq = 0
  /** when the server was last found unreachable: calls soon after fail at once instead of each waiting out the connect timeout */
  let unreachable: { at: number; message: string } | null = null
  const RETRY_MS = 3000

  const call = (request: PgRequest): Extract<PgReply, { ok: true }> => {
    if (closed) throw new Error(`the workspace database at ${where} is closed`)
    if (unreachable && Date.now() - unreachable.at < RETRY_MS) throw new Error(unreachable.message)
    Atomics.store(flag, 0, 0)
    const id = ++seq
    port1.postMessage({ ...request, id })
    const patienceMs = statementTimeoutMs + connectTimeoutMs + 5_000
    const deadline = Date.now() + patienceMs
    let reply: { message: PgReply } | undefined
    // A reply to a request that timed out earlier is read and dropped: each call takes only its own answer.
    while (!(reply = receiveMessageOnPort(port1)) || reply.message.id !== id) {
      if (reply) continue
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${where} did not answer in ${Math.round(patienceMs / 1000)} s; check the server and the network`)
      Atomics.wait(flag, 0, 0, 200)
    }
    const r = reply.message
    if (r.ok) {
      unreachable = null
      return r
    }
    const kind = KINDS[r.code ?? '']
    if (kind) throw new SqlConstraintError(kind, r.message)
    if (r.connect) {
      const message = `cannot reach the PostgreSQL workspace at ${where} (${r.message}); start the server or correct the workspace URL`
      unreachable = { at: Date.now(), message }
      throw new Error(message)
    }
    throw new Error(`PostgreSQL at ${where}: ${r.message}`)
  }
  const query = (sql: string, params: readonly SqlValue[] = []) => call({ op: 'query', sql: numberedParameters(sql), params: [...params] })

  return {
    dialect: 'postgres',
    where,
    run: (sql, params) => ({ changes: query(sql, params).changes }),
    get: <T>(sql: string, params?: readonly SqlValue[]) => query(sql, params).rows[0] as T | undefined,
    all: <T>(sql: string, params?: readonly SqlValue[]) => query(sql, params).rows as T[],
    exec: (sql) => void call({ op: 'exec', sql }),
    transaction<T>(fn: () => T): T {
      if (depth > 0) return fn()
      call({ op: 'exec', sql: 'BEGIN' })
      depth++
      try {
        const out = fn()
        call({ op: 'exec', sql: 'COMMIT' })
        return out
      } catch (err) {
        try {
          call({ op: 'exec', sql: 'ROLLBACK' })
        } catch {
          // the connection is gone: the server rolls the transaction back itself
        }
        throw err
      } finally {
        depth--
      }
    },
    close() {
      if (closed) return
      try {
        call({ op: 'close' })
      } finally {
        closed = true
        port1.close()
        void worker.terminate()
      }
    },
  }
}
