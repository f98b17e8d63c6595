import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, openWorkspace, WorkspaceError } from './workspace-db'
import { MIGRATIONS } from './migrations'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
const fresh = async () => {
  const d = await mkdtemp(join(tmpdir(), 'pbas-ws-'))
  dirs.push(d)
  return d
}

describe('workspace migrations', () => {
  it('creates a new workspace at the latest schema', async () => {
    const db = openWorkspace(await fresh())
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => (r as { name: string }).name)
    expect(tables).toEqual(['datasets', 'evaluation_items', 'evaluations', 'products', 'run_cost_measures', 'run_epochs', 'runs', 'training_additions', 'verdicts'])
    db.close()
  })

  it('upgrades a version-1 workspace without losing its data', async () => {
    const dir = await fresh()
    const old = new Database(join(dir, 'workspace.sqlite'))
    expect(migrate(old, 1)).toBe(1)
    old.prepare('INSERT INTO products VALUES (?, ?, ?)').run('p1', 'Bottle', '2026-11-28T00:00:00Z')
    old.prepare('INSERT INTO runs (id, product_id, state, config_json, created_at) VALUES (?, ?, ?, ?, ?)').run('r1', 'p1', 'succeeded', '{}', 'now')
    old.close()
    const db = openWorkspace(dir)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    // Runs from before names and notes existed keep working: no name (the app derives one), no note.
    expect(db.prepare('SELECT name, note, estimate_seconds FROM runs').get()).toEqual({ name: null, note: null, estimate_seconds: null })
    expect(db.prepare('SELECT name FROM products').get()).toEqual({ name: 'Bottle' })
    db.prepare('INSERT INTO verdicts VALUES (?, ?, ?, ?, ?)').run('r1', '/a.png', 'defect', 'qe', 'now')
    expect(() => db.prepare('INSERT INTO verdicts VALUES (?, ?, ?, ?, ?)').run('r1', '/b.png', 'maybe', 'qe', 'now')).toThrow(/CHECK/)
    // Deleting a product removes its runs and their verdicts (foreign keys are on).
    db.prepare('DELETE FROM products WHERE id = ?').run('p1')
    expect(db.prepare('SELECT COUNT(*) n FROM verdicts').get()).toEqual({ n: 0 })
    db.close()
  })

  it('refuses a workspace from a newer version, saying what to do', async () => {
    const dir = await fresh()
    const db = new Database(join(dir, 'workspace.sqlite'))
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    db.close()
    expect(() => openWorkspace(dir)).toThrow(WorkspaceError)
    expect(() => openWorkspace(dir)).toThrow(/newer PBAS Inspect .* Update PBAS Inspect/)
  })
})
