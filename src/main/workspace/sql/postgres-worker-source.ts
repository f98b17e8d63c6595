// The worker thread behind the PostgreSQL driver, as source text (run with `eval`, so no separate build entry is needed).

/** A request from the driver. */
export type PgRequest = { op: 'query'; sql: string; params: (string | number | null)[] } | { op: 'exec'; sql: string } | { op: 'close' }

/** The worker's answer: rows and the number changed, or the error with its SQLSTATE. */
export type PgReply = { id: number } & ({ ok: true; rows: Record<string, unknown>[]; changes: number } | { ok: false; message: string; code?: string; connect?: boolean })

/**
 * Holds one connection, opened on the first statement and again after it broke (a restarted server), runs each
 * request and wakes the waiting driver. COUNT(*) (int8) is read as a number, as SQLite gives it.
 */
export const POSTGRES_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
const pg = require(workerData.pgPath)
const { url, flag, port, statementTimeoutMs, connectTimeoutMs } = workerData
const types = { getTypeParser: (oid, format) => (oid === 20 ? (v) => Number(v) : pg.types.getTypeParser(oid, format)) }
let client = null
let inTransaction = false
async function connection() {
  if (client) return client
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, statement_timeout: statementTimeoutMs, types, application_name: 'pbas-inspect' })
  c.on('error', () => { if (client === c) client = null })
  try {
    await c.connect()
  } catch (err) {
    err.connect = true
    throw err
  }
  client = c
  return c
}
function reply(id, message) {
  port.postMessage({ ...message, id })
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
}
port.on('message', async (req) => {
  const reply1 = (message) => reply(req.id, message)
  try {
    if (req.op === 'close') {
      const c = client
      client = null
      if (c) await c.end()
      return reply1({ ok: true, rows: [], changes: 0 })
    }
    // A broken connection inside a transaction must fail the transaction, not silently continue on a new one.
    if (!client && inTransaction && req.sql !== 'ROLLBACK') throw Object.assign(new Error('the connection was lost inside a transaction'), { connect: true })
    if (req.sql === 'ROLLBACK' && !client) { inTransaction = false; return reply1({ ok: true, rows: [], changes: 0 }) }
    const c = await connection()
    const r = req.op === 'query' ? await c.query(req.sql, req.params) : await c.query(req.sql)
    if (req.sql === 'BEGIN') inTransaction = true
    if (req.sql === 'COMMIT' || req.sql === 'ROLLBACK') inTransaction = false
    reply1({ ok: true, rows: r.rows ?? [], changes: r.rowCount ?? 0 })
  } catch (err) {
    if (req.sql === 'COMMIT' || req.sql === 'ROLLBACK') inTransaction = false
    reply1({ ok: false, message: String(err && err.message || err), code: err && err.code, connect: !!(err && (err.connect || /ECONNREFUSED|ECONNRESET|ENOTFOUND|timeout|terminat/i.test(String(err.message)))) })
  }
})
`
