// The workspace back-ends a test runs against: a SQLite folder always, a fresh PostgreSQL database where the test server runs.
import { inject } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { openWorkspace, type Workspace } from '../main/workspace/workspace-db'
import { openPostgres } from '../main/workspace/sql/postgres-driver'
import { ProductStore } from '../main/workspace/products'
import { RunStore } from '../main/workspace/runs'
import { resolveConfig } from '../main/engine/pbas/config'
import type { DatasetSummary } from '../shared/models/dataset-summary'

/** One back-end: `create()` makes an empty workspace location (a folder, or a new database) and its file folder. */
export interface TestBackend {
  name: 'sqlite' | 'postgres'
  /** why this back-end is skipped here ('' when it runs) */
  skip: string
  create(): TestLocation
}

/** A new empty workspace location; `open()` opens it (again); `dispose()` closes what was opened and removes it. */
export interface TestLocation {
  location: string
  files: string
  open(): Workspace
  dispose(): void
}

function location(where: string, files: string, drop: () => void): TestLocation {
  const opened: Workspace[] = []
  return {
    location: where,
    files,
    open() {
      const ws = openWorkspace(where, { files })
      opened.push(ws)
      return ws
    },
    dispose() {
      for (const ws of opened.splice(0)) ws.db.close()
      drop()
      rmSync(files, { recursive: true, force: true })
    },
  }
}

/** A database URL on the test server with another database name. */
export function databaseUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
}

/** Creates an empty database on the test server; returns its URL and how to drop it. */
export function createTestDatabase(): { url: string; drop(): void } {
  const admin = inject('postgresUrl')
  const name = `ws_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  const db = openPostgres(admin)
  db.exec(`CREATE DATABASE ${name}`)
  return {
    url: databaseUrl(admin, name),
    drop() {
      db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      db.close()
    },
  }
}

/** SQLite, and PostgreSQL (skipped with the server's reason where none runs). */
export function workspaceBackends(): TestBackend[] {
  return [
    {
      name: 'sqlite',
      skip: '',
      create() {
        const dir = mkdtempSync(join(tmpdir(), 'pbas-ws-'))
        return location(dir, dir, () => {})
      },
    },
    {
      name: 'postgres',
      skip: inject('postgresSkip'),
      create() {
        const d = createTestDatabase()
        return location(d.url, mkdtempSync(join(tmpdir(), 'pbas-ws-files-')), d.drop)
      },
    },
  ]
}

/** A product with one data set and a finished run per model folder (the records a station or a reviewer works on). */
export function finishedRuns(db: import('../main/workspace/sql/sql-driver').SqlDriver, modelDirs: readonly string[]): { productId: string; runIds: string[] } {
  const products = new ProductStore(db)
  const runs = new RunStore(db)
  const p = products.create(`Bottle ${randomUUID().slice(0, 8)}`)
  const ds = products.addDataset(p.id, { root: '/data/bottle', layout: 'mvtec', ok: true } as DatasetSummary)
  return { productId: p.id, runIds: modelDirs.map((m) => runs.setState(runs.create(p.id, ds.id, resolveConfig(), () => m).id, 'succeeded').id) }
}
