import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../engine/pbas/config'
import { ProductStore, WorkspaceRequestError } from './products'
import { RunStore } from './runs'
import { EvaluationStore } from './evaluations'
import type { DatasetSummary } from '../../shared/models/dataset-summary'
import type { ReviewItem } from '../../shared/models/review'
import { workspaceBackends, type TestLocation } from '../../test-support/test-workspaces'
import type { SqlDriver } from './sql/sql-driver'

describe.each(workspaceBackends())('evaluations in a $name workspace', (backend) => {
  let ws: TestLocation
  let db: SqlDriver
  let evals: EvaluationStore
  let runId: string
  let productId: string
  beforeEach(() => {
    if (backend.skip) return
    ws = backend.create()
    db = ws.open().db
    const products = new ProductStore(db)
    productId = products.create('Bottle').id
    const ds = products.addDataset(productId, { root: '/data/bottle', layout: 'mvtec', ok: true } as DatasetSummary)
    runId = new RunStore(db).create(productId, ds.id, resolveConfig(), (id) => `/models/${id}`).id
    evals = new EvaluationStore(db)
  })
  afterEach(() => ws?.dispose())

  const item = (index: number, score: number, label: 'good' | 'defect' | null): ReviewItem => ({ index, path: `/img/${index}.png`, score, label, defectType: label, hasMask: label === 'defect', nearestPath: null })

  describe.skipIf(backend.skip)(backend.skip || 'evaluations', () => {
    it('stores an evaluation and lists its images worst first; a run deletes its evaluations', () => {
      const e = evals.create(runId, '/data/bottle', undefined, (id) => `/reviews/${id}`)
      expect(e).toMatchObject({ state: 'queued', runId, dir: `/reviews/${e.id}`, images: 0 })
      const done = evals.complete(e.id, { image_auroc: 1, image_ap: 1, pixel_auroc: null, pixel_ap: null, pixel_pro: null, images_per_second: 3, false_reject_rate: 0, defect_recall: 1, tpr_at_1pct_fpr: 1 }, [item(0, 0.1, 'good'), item(1, 0.9, 'defect'), item(2, 0.5, 'good')])
      expect(done).toMatchObject({ state: 'succeeded', images: 3, metrics: { image_auroc: 1 } })
      expect(evals.items(e.id).map((x) => x.index)).toEqual([1, 2, 0])
      expect(evals.items(e.id)[0]).toEqual(item(1, 0.9, 'defect'))
      expect(evals.setThreshold(e.id, { mode: 'manual', value: 0.4, review: 0.3 }).threshold).toEqual({ mode: 'manual', value: 0.4, review: 0.3 })
      expect(() => evals.setThreshold('nope', { mode: 'manual', value: 1, review: 1 })).toThrow(WorkspaceRequestError)
      // A damaged JSON column is refused with the evaluation and the column named, not handed on as a typed value.
      db.run('UPDATE evaluations SET threshold_json = ? WHERE id = ?', ['{"mode":"manual","value":"high"}', e.id])
      expect(() => evals.get(e.id)).toThrow(new RegExp(`saved threshold of evaluation ${e.id} is damaged \\(value:`))
      db.run('UPDATE evaluations SET threshold_json = NULL, metrics_json = ? WHERE id = ?', ['{"image_auroc"', e.id])
      expect(() => evals.get(e.id)).toThrow(/metrics of evaluation .* is damaged/)
      db.run('DELETE FROM runs WHERE id = ?', [runId])
      expect(evals.list(runId)).toEqual([])
      expect(db.get('SELECT COUNT(*) AS n FROM evaluation_items')).toEqual({ n: 0 })
    })

    it('keeps one verdict per image with who and when, and every verdict given in its history; null clears it', () => {
      evals.setVerdict(runId, '/img/1.png', 'defect', 'ana')
      const v = evals.setVerdict(runId, '/img/1.png', 'unsure', 'ben')!
      expect(evals.verdictHistory(runId, '/img/1.png').map((h) => [h.verdict, h.reviewer])).toEqual([['defect', 'ana'], ['unsure', 'ben']])
      evals.setVerdict(runId, '/img/2.png', 'good', 'ana')
      expect(evals.verdicts(runId).map((x) => [x.imagePath, x.verdict, x.reviewer])).toEqual([['/img/1.png', 'unsure', 'ben'], ['/img/2.png', 'good', 'ana']])
      expect(Date.parse(v.at)).toBeGreaterThan(Date.now() - 10_000)
      evals.setVerdict(runId, '/img/2.png', null, 'ana')
      expect(evals.verdicts(runId)).toHaveLength(1)
      expect(evals.verdictHistory(runId, '/img/2.png').map((h) => h.verdict)).toEqual(['good', null])
      expect(() => evals.setVerdict('no-run', '/img/1.png', 'good', 'ana')).toThrow(/no run no-run/)
    })

    it('adds confirmed-good images to a product once each', () => {
      expect(evals.addTrainingImages(productId, ['/a.png', '/b.png'], 'ana')).toBe(2)
      expect(evals.addTrainingImages(productId, ['/b.png', '/c.png'], 'ana')).toBe(1)
      expect(evals.trainingAdditions(productId)).toEqual(['/a.png', '/b.png', '/c.png'])
      // A run resumed later trains on the set it started with.
      expect(evals.trainingAdditions(productId, '2000-01-01T00:00:00Z')).toEqual([])
      expect(() => evals.addTrainingImages('nope', ['/a.png'], 'ana')).toThrow(/no product nope/)
    })

    it('marks evaluations interrupted by a closed app as failed', () => {
      const e = evals.create(runId, '/x', undefined, () => '/r')
      evals.setState(e.id, 'running')
      expect(evals.markInterrupted()).toBe(1)
      expect(evals.get(e.id)).toMatchObject({ state: 'failed', error: expect.stringContaining('interrupted') })
    })

    it('lists evaluations newest first, also those created in the same millisecond', () => {
      const ids = Array.from({ length: 5 }, () => evals.create(runId, '/x', undefined, () => '/r').id)
      db.run('UPDATE evaluations SET created_at = ?', ['2026-12-06T00:00:00.000Z'])
      expect(evals.list(runId).map((e) => e.id)).toEqual(ids.reverse())
    })

    it('keeps a station item replaced by its index (a retried part) and scores at full precision', () => {
      const e = evals.create(runId, 'station', undefined, () => '/r')
      evals.addItem(e.id, item(0, 0.123456789012, 'good'))
      evals.addItem(e.id, item(0, 0.987654321098, null))
      expect(evals.items(e.id)).toEqual([item(0, 0.987654321098, null)])
    })
  })
})
