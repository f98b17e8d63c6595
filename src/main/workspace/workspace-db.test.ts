import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { migrate, openWorkspace, WorkspaceError } from './workspace-db'
import { MIGRATIONS } from './migrations'
import type { SqlDriver } from './sql/sql-driver'
import { openSqlite } from './sql/sqlite-driver'
import { openPostgres } from './sql/postgres-driver'
import { workspaceBackends, type TestLocation } from '../../test-support/test-workspaces'

describe.each(workspaceBackends())('$name workspace migrations', (backend) => {
  const made: TestLocation[] = []
  const raw: SqlDriver[] = []
  afterEach(() => {
    for (const d of raw.splice(0)) d.close()
    for (const w of made.splice(0)) w.dispose()
  })
  const fresh = () => {
    const w = backend.create()
    made.push(w)
    return w
  }
  /** The database itself, before any migration (to build old versions). */
  const rawDb = (w: TestLocation) => {
    const d = backend.name === 'sqlite' ? openSqlite(join(w.location, 'workspace.sqlite')) : openPostgres(w.location)
    raw.push(d)
    return d
  }
  const tables = (db: SqlDriver) =>
    db.dialect === 'sqlite'
      ? db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name)
      : db.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'pbas_schema' ORDER BY table_name").map((r) => r.name)

  describe.skipIf(backend.skip)(backend.skip || 'schema', () => {
    it('creates a new workspace at the latest schema', () => {
      const { db } = fresh().open()
      expect(migrate(db)).toBe(MIGRATIONS.length)
      expect(tables(db)).toEqual(['datasets', 'evaluation_items', 'evaluations', 'products', 'run_cost_measures', 'run_epochs', 'runs', 'stations', 'training_additions', 'verdict_history', 'verdicts', 'workspace_settings'])
    })

    it('upgrades a version-1 workspace without losing its data', () => {
      const w = fresh()
      const old = rawDb(w)
      expect(migrate(old, 1)).toBe(1)
      old.run('INSERT INTO products VALUES (?, ?, ?)', ['p1', 'Bottle', '2026-11-28T00:00:00Z'])
      old.run('INSERT INTO runs (id, product_id, state, config_json, created_at) VALUES (?, ?, ?, ?, ?)', ['r1', 'p1', 'succeeded', '{}', 'now'])
      expect(migrate(old, 2)).toBe(2)
      old.run('INSERT INTO verdicts VALUES (?, ?, ?, ?, ?)', ['r1', '/a.png', 'defect', 'qe', 'now'])
      const { db } = w.open()
      expect(migrate(db)).toBe(MIGRATIONS.length)
      // Runs from before names and notes existed keep working: no name (the app derives one), no note.
      expect(db.get('SELECT name, note, estimate_seconds FROM runs')).toEqual({ name: null, note: null, estimate_seconds: null })
      expect(db.get('SELECT name FROM products')).toEqual({ name: 'Bottle' })
      // Verdicts given before the history existed start it.
      expect(db.all('SELECT image_path, verdict, reviewer FROM verdict_history')).toEqual([{ image_path: '/a.png', verdict: 'defect', reviewer: 'qe' }])
      expect(() => db.run('INSERT INTO verdicts VALUES (?, ?, ?, ?, ?)', ['r1', '/b.png', 'maybe', 'qe', 'now'])).toThrow(expect.objectContaining({ kind: 'check' }))
      // Deleting a product removes its runs and their verdicts (foreign keys are on).
      db.run('DELETE FROM products WHERE id = ?', ['p1'])
      expect(db.get('SELECT COUNT(*) AS n FROM verdicts')).toEqual({ n: 0 })
    })

    it('refuses a workspace from a newer version, saying what to do', () => {
      const w = fresh()
      const db = rawDb(w)
      migrate(db)
      if (db.dialect === 'sqlite') db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`)
      else db.run('UPDATE pbas_schema SET version = ?', [MIGRATIONS.length + 1])
      expect(() => w.open()).toThrow(WorkspaceError)
      expect(() => w.open()).toThrow(/newer PBAS Inspect .* Update PBAS Inspect/)
    })

    it.skipIf(backend.name !== 'postgres')("keeps a shared workspace's file folder: later clients may omit it, another path is refused", () => {
      const w = fresh()
      expect(w.open().files).toBe(w.files)
      const later = openWorkspace(w.location)
      expect(later.files).toBe(w.files)
      later.db.close()
      expect(() => openWorkspace(w.location, { files: join(w.files, 'elsewhere') })).toThrow(new RegExp(`mount the shared folder at ${w.files} on this machine too`))
    })

    it('migrates once when several clients open a new workspace at the same time', () => {
      const w = fresh()
      const a = w.open().db
      const b = w.open().db
      expect([migrate(a), migrate(b)]).toEqual([MIGRATIONS.length, MIGRATIONS.length])
    })
  })
})
