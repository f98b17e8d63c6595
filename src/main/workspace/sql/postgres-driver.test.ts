import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { numberedParameters, openPostgres, redactedUrl } from './postgres-driver'
import { isConstraint, type SqlDriver } from './sql-driver'
import { startPostgres, type PostgresServer } from '../../../../scripts/servers/postgres-server'

describe('placeholders and messages', () => {
  it('numbers ? outside quoted strings only, and never shows a password', () => {
    expect(numberedParameters("SELECT ? AS a, '?' AS q, x FROM t WHERE y = ? AND z = 'it''s?'")).toBe("SELECT $1 AS a, '?' AS q, x FROM t WHERE y = $2 AND z = 'it''s?'")
    expect(redactedUrl('postgres://pbas:s3cret@db.plant.local:5432/pbas')).toBe('postgres://pbas:***@db.plant.local:5432/pbas')
  })
})

// Its own server, so stopping it cannot disturb the other tests' databases.
let server: PostgresServer | string
let db: SqlDriver | null = null
beforeAll(async () => {
  server = await startPostgres()
  if (typeof server === 'string' && process.env.PBAS_REQUIRE_SERVER_TESTS === '1') throw new Error(`PBAS_REQUIRE_SERVER_TESTS=1 but ${server}`)
})
afterAll(() => {
  db?.close()
  if (typeof server !== 'string') server?.stop()
})

describe('the PostgreSQL driver against a real server', () => {
  it('keeps transactions whole, names constraint errors, and survives the server going down and coming back', async (t) => {
    if (typeof server === 'string') return t.skip(server)
    const s = server
    db = openPostgres(s.url, { connectTimeoutMs: 2000 })
    db.exec('CREATE TABLE parts (id TEXT PRIMARY KEY, score DOUBLE PRECISION NOT NULL)')
    db.run('INSERT INTO parts VALUES (?, ?)', ['a', 0.1 + 0.2])
    expect(db.get('SELECT score FROM parts WHERE id = ?', ['a'])).toEqual({ score: 0.1 + 0.2 })
    expect(() => db!.run('INSERT INTO parts VALUES (?, ?)', ['a', 1])).toThrow(expect.objectContaining({ kind: 'unique' }))
    // A transaction that fails leaves nothing behind.
    expect(() =>
      db!.transaction(() => {
        db!.run('INSERT INTO parts VALUES (?, ?)', ['b', 1])
        db!.run('INSERT INTO parts VALUES (?, ?)', ['a', 2])
      }),
    ).toThrow()
    expect(db.get('SELECT COUNT(*) AS n FROM parts')).toEqual({ n: 1 })

    // The server goes down: the call fails naming it; calls right after fail at once rather than each waiting.
    s.down()
    expect(() => db!.get('SELECT 1 AS one')).toThrow(/cannot reach the PostgreSQL workspace at postgres:\/\/pbas@127\.0\.0\.1/)
    const t0 = Date.now()
    expect(() => db!.get('SELECT 1 AS one')).toThrow(/cannot reach/)
    expect(Date.now() - t0).toBeLessThan(100)
    // Back up: the next call after the pause reconnects and finds the data.
    s.up()
    await new Promise((r) => setTimeout(r, 3100))
    expect(db.get('SELECT score FROM parts WHERE id = ?', ['a'])).toEqual({ score: 0.1 + 0.2 })
    expect(isConstraint(new Error('x'), 'unique')).toBe(false)
  })
})
