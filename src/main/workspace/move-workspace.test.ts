import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { resolveConfig } from '../engine/pbas/config'
import { openWorkspace } from './workspace-db'
import { ProductStore } from './products'
import { RunStore } from './runs'
import { EvaluationStore } from './evaluations'
import { moved, moveWorkspace, tableDigest, WORKSPACE_TABLES } from './move-workspace'
import type { DatasetSummary } from '../../shared/models/dataset-summary'
import { createTestDatabase } from '../../test-support/test-workspaces'

const dirs: string[] = []
const drops: (() => void)[] = []
afterEach(() => {
  for (const d of drops.splice(0)) d()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'pbas-move-'))
  dirs.push(d)
  return d
}

/** A workspace with one of everything: odd names, scores that need all their digits, a model file. */
function filled(dir: string): void {
  const { db, files } = openWorkspace(dir)
  const products = new ProductStore(db)
  const evals = new EvaluationStore(db)
  const p = products.create('Flasche „Ø 40“ — 瓶')
  products.setRegion(p.id, { imageWidth: 10, imageHeight: 10, inspect: [], ignore: [{ type: 'rect', x: 0, y: 0, width: 2, height: 2 }] })
  const ds = products.addDataset(p.id, { root: join(files, 'images', 'bottle'), layout: 'mvtec', ok: true } as DatasetSummary)
  const runs = new RunStore(db)
  const run = runs.create(p.id, ds.id, resolveConfig(), (id) => join(files, 'models', id), { name: 'night run', note: 'line 2\nsecond shift', estimateSeconds: 61.5 })
  runs.addEpoch(run.id, { epoch: 1, means: { lossC: 0.1 + 0.2, lossN: 1 / 3, lossA: 0, pTrue: 1, pFake: 0.5, distNormal: 2 } as never, validation: null, seconds: 1e-7 })
  runs.setState(run.id, 'succeeded')
  mkdirSync(join(files, 'models', run.id), { recursive: true })
  writeFileSync(join(files, 'models', run.id, 'model.json'), '{"weights":"here"}')
  const e = evals.create(run.id, 'station', undefined, (id) => join(files, 'reviews', id))
  for (let i = 0; i < 50; i++) evals.addItem(e.id, { index: i, path: `/parts/${i}.png`, score: Math.PI * i / 7, label: i % 2 ? 'good' : null, defectType: null, hasMask: i % 3 === 0, nearestPath: null })
  evals.setThreshold(e.id, { mode: 'manual', value: 0.123456789, review: 0.1 })
  evals.setVerdict(run.id, '/parts/1.png', 'defect', 'ana')
  evals.setVerdict(run.id, '/parts/1.png', 'good', 'ben')
  evals.addTrainingImages(p.id, ['/parts/3.png'], 'ana')
  db.close()
}

const digests = (location: string, path?: (v: unknown) => unknown) => {
  const { db } = openWorkspace(location)
  try {
    return Object.fromEntries(WORKSPACE_TABLES.map((t) => [t, tableDigest(db, t, path)]))
  } finally {
    db.close()
  }
}

describe('moving a workspace', () => {
  it('refuses a target that already holds records, leaving both as they were', () => {
    const a = tmp()
    const b = tmp()
    filled(a)
    filled(b)
    const before = digests(b)
    expect(() => moveWorkspace(a, b)).toThrow(/not empty \(products/)
    expect(digests(b)).toEqual(before)
  })

  it.skipIf(inject('postgresSkip'))(inject('postgresSkip') || 'moves SQLite to PostgreSQL and back without loss, files and all', () => {
    const first = tmp()
    filled(first)
    const pg = createTestDatabase()
    drops.push(pg.drop)
    const share = tmp()
    const there = moveWorkspace(first, pg.url, { files: share })
    expect(there).toMatchObject({ filesCopied: true, files: share, rows: expect.objectContaining({ evaluation_items: 50, verdict_history: 2, verdicts: 1 }) })
    // On PostgreSQL: the same records, paths now in the shared folder, the model file copied there.
    const onPg = openWorkspace(pg.url)
    const run = new RunStore(onPg.db).list(new ProductStore(onPg.db).list()[0].id)[0]
    expect(onPg.files).toBe(share)
    expect(run.modelDir.startsWith(share)).toBe(true)
    expect(readFileSync(join(run.modelDir, 'model.json'), 'utf8')).toBe('{"weights":"here"}')
    onPg.db.close()
    const back = join(tmp(), 'back')
    moveWorkspace(pg.url, back)
    expect(digests(back)).toEqual(digests(first, moved(first, back)))
    expect(digests(back, moved(back, first))).toEqual(digests(first))
  })
})
