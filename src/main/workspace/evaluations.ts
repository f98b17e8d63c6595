// Evaluations, their per-image scores, reviewer verdicts and training additions in the workspace database.
import { isConstraint, type SqlDriver } from './sql/sql-driver'
import { randomUUID } from 'node:crypto'
import type { JobState } from '../../shared/models/job'
import type { ChosenThreshold, EvaluationRecord, ReviewItem, ReviewMetrics, Verdict, VerdictValue } from '../../shared/models/review'
import { WorkspaceRequestError } from './products'
import type { z } from 'zod'
import { chosenThresholdSchema } from '../../shared/ipc/invoke-args'
import { reviewMetricsSchema } from '../engine/review/review-file'

/** A JSON column read through its schema: a damaged row is refused with the evaluation and column named. */
function column<T>(schema: z.ZodType, text: string, where: string): T {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new WorkspaceRequestError(`${where} is damaged (${(err as Error).message}); evaluate again to replace it.`)
  }
  const r = schema.safeParse(raw)
  if (!r.success) throw new WorkspaceRequestError(`${where} is damaged (${r.error.issues[0].path.join('.') || 'value'}: ${r.error.issues[0].message}); evaluate again to replace it.`)
  return raw as T
}

interface EvaluationRow {
  id: string
  run_id: string
  state: JobState
  source: string
  category: string | null
  dir: string
  created_at: string
  error: string | null
  metrics_json: string | null
  threshold_json: string | null
  images: number
}

interface ItemRow {
  idx: number
  image_path: string
  score: number
  label: 'good' | 'defect' | null
  defect_type: string | null
  has_mask: number
  nearest_path: string | null
}

const toEvaluation = (r: EvaluationRow): EvaluationRecord => ({
  id: r.id, runId: r.run_id, state: r.state, source: r.source, category: r.category ?? undefined, dir: r.dir, createdAt: r.created_at,
  error: r.error ?? undefined, metrics: r.metrics_json ? column<ReviewMetrics | null>(reviewMetricsSchema.nullable(), r.metrics_json, `the metrics of evaluation ${r.id}`) : undefined,
  threshold: r.threshold_json ? column<ChosenThreshold>(chosenThresholdSchema, r.threshold_json, `the saved threshold of evaluation ${r.id}`) : undefined, images: r.images,
})

const toItem = (r: ItemRow): ReviewItem => ({ index: r.idx, path: r.image_path, score: r.score, label: r.label, defectType: r.defect_type, hasMask: r.has_mask === 1, nearestPath: r.nearest_path })

const INSERT_ITEM = 'INSERT INTO evaluation_items (evaluation_id, idx, image_path, score, label, defect_type, has_mask, nearest_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
const itemValues = (id: string, x: ReviewItem) => [id, x.index, x.path, x.score, x.label, x.defectType, x.hasMask ? 1 : 0, x.nearestPath]

const SELECT = 'SELECT e.*, (SELECT COUNT(*) FROM evaluation_items i WHERE i.evaluation_id = e.id) AS images FROM evaluations e'

/** Evaluations of runs' models and what reviewers decided about their images. */
export class EvaluationStore {
  constructor(private readonly db: SqlDriver) {}

  create(runId: string, source: string, category: string | undefined, dir: (id: string) => string): EvaluationRecord {
    const id = randomUUID()
    try {
      // seq orders evaluations created in the same millisecond; two clients racing for one number only tie.
      this.db.run('INSERT INTO evaluations (id, run_id, state, source, category, dir, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM evaluations))', [id, runId, 'queued', source, category ?? null, dir(id), new Date().toISOString()])
    } catch (err) {
      if (isConstraint(err, 'foreign-key')) throw new WorkspaceRequestError(`no run ${runId}`)
      throw err
    }
    return this.get(id)
  }

  get(id: string): EvaluationRecord {
    const row = this.db.get(`${SELECT} WHERE e.id = ?`, [id]) as EvaluationRow | undefined
    if (!row) throw new WorkspaceRequestError(`no evaluation ${id}`)
    return toEvaluation(row)
  }

  /** A run's evaluations, newest first. */
  list(runId: string): EvaluationRecord[] {
    return (this.db.all(`${SELECT} WHERE e.run_id = ? ORDER BY e.created_at DESC, e.seq DESC`, [runId]) as EvaluationRow[]).map(toEvaluation)
  }

  setState(id: string, state: JobState, error?: string): EvaluationRecord {
    this.db.run('UPDATE evaluations SET state = ?, error = ? WHERE id = ?', [state, error ?? null, id])
    return this.get(id)
  }

  /** Stores a finished evaluation's metrics and every image's score in one transaction. */
  complete(id: string, metrics: ReviewMetrics | null, items: readonly ReviewItem[]): EvaluationRecord {
    this.db.transaction(() => {
      this.db.run('DELETE FROM evaluation_items WHERE evaluation_id = ?', [id])
      for (const x of items) this.db.run(INSERT_ITEM, itemValues(id, x))
      this.db.run("UPDATE evaluations SET state = 'succeeded', error = NULL, metrics_json = ? WHERE id = ?", [JSON.stringify(metrics), id])
    })
    return this.get(id)
  }

  /** Adds one image to an evaluation that grows while it runs (a station's review queue). */
  addItem(id: string, x: ReviewItem): void {
    this.db.run(`${INSERT_ITEM} ON CONFLICT (evaluation_id, idx) DO UPDATE SET image_path = excluded.image_path, score = excluded.score, label = excluded.label,
      defect_type = excluded.defect_type, has_mask = excluded.has_mask, nearest_path = excluded.nearest_path`, itemValues(id, x))
  }

  /** Per-image scores, worst (highest score) first. */
  items(id: string): ReviewItem[] {
    return (this.db.all('SELECT * FROM evaluation_items WHERE evaluation_id = ? ORDER BY score DESC, idx', [id]) as ItemRow[]).map(toItem)
  }

  /** One image of an evaluation by its index, or undefined. */
  item(id: string, index: number): ReviewItem | undefined {
    const row = this.db.get('SELECT * FROM evaluation_items WHERE evaluation_id = ? AND idx = ?', [id, index]) as ItemRow | undefined
    return row && toItem(row)
  }

  setThreshold(id: string, t: ChosenThreshold): EvaluationRecord {
    if (this.db.run('UPDATE evaluations SET threshold_json = ? WHERE id = ?', [JSON.stringify(t), id]).changes === 0) throw new WorkspaceRequestError(`no evaluation ${id}`)
    return this.get(id)
  }

  /** Evaluations left queued or running by a closed app failed; they can be started again. */
  markInterrupted(): number {
    return this.db.run("UPDATE evaluations SET state = 'failed', error = 'interrupted (the app closed); evaluate again' WHERE state IN ('queued', 'running')").changes
  }

  /**
   * Saves a reviewer's verdict on an image of a run (replacing an earlier one), or clears it with null. Two
   * reviewers on one image at once: the more recent verdict (by its time) is the image's verdict, whichever commits
   * last, and both stay in the image's history ({@link verdictHistory}), written in the same transaction.
   */
  setVerdict(runId: string, imagePath: string, verdict: VerdictValue | null, reviewer: string): Verdict | null {
    const at = new Date().toISOString()
    try {
      this.db.transaction(() => {
        this.db.run('INSERT INTO verdict_history (run_id, image_path, verdict, reviewer, at) VALUES (?, ?, ?, ?, ?)', [runId, imagePath, verdict, reviewer, at])
        if (verdict === null) this.db.run('DELETE FROM verdicts WHERE run_id = ? AND image_path = ? AND at <= ?', [runId, imagePath, at])
        else
          this.db.run(
            `INSERT INTO verdicts (run_id, image_path, verdict, reviewer, at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (run_id, image_path) DO UPDATE SET verdict = excluded.verdict, reviewer = excluded.reviewer, at = excluded.at WHERE verdicts.at <= excluded.at`,
            [runId, imagePath, verdict, reviewer, at],
          )
      })
    } catch (err) {
      if (isConstraint(err, 'foreign-key')) throw new WorkspaceRequestError(`no run ${runId}`)
      throw err
    }
    return verdict === null ? null : { imagePath, verdict, reviewer, at }
  }

  /** Every verdict given on an image of a run, oldest first (null: cleared). */
  verdictHistory(runId: string, imagePath: string): { verdict: VerdictValue | null; reviewer: string; at: string }[] {
    return this.db.all('SELECT verdict, reviewer, at FROM verdict_history WHERE run_id = ? AND image_path = ? ORDER BY at', [runId, imagePath])
  }

  verdicts(runId: string): Verdict[] {
    const rows = this.db.all('SELECT image_path, verdict, reviewer, at FROM verdicts WHERE run_id = ? ORDER BY at', [runId]) as { image_path: string; verdict: VerdictValue; reviewer: string; at: string }[]
    return rows.map((r) => ({ imagePath: r.image_path, verdict: r.verdict, reviewer: r.reviewer, at: r.at }))
  }

  /** True when the image was scored in one of the run's evaluations (verdicts are only for those). */
  hasImage(runId: string, imagePath: string): boolean {
    return !!this.db.get('SELECT 1 FROM evaluation_items i JOIN evaluations e ON e.id = i.evaluation_id WHERE e.run_id = ? AND i.image_path = ? LIMIT 1', [runId, imagePath])
  }

  /** A product's added training images with who added them and when. */
  trainingAdditionRecords(productId: string): { path: string; addedBy: string; addedAt: string }[] {
    const rows = this.db.all('SELECT image_path, added_by, added_at FROM training_additions WHERE product_id = ? ORDER BY added_at, image_path', [productId]) as { image_path: string; added_by: string; added_at: string }[]
    return rows.map((r) => ({ path: r.image_path, addedBy: r.added_by, addedAt: r.added_at }))
  }

  /** Takes images out of a product's training set (for its next runs); returns how many were there. */
  removeTrainingImages(productId: string, paths: readonly string[]): number {
    return this.db.transaction(() => paths.reduce((n, p) => n + this.db.run('DELETE FROM training_additions WHERE product_id = ? AND image_path = ?', [productId, p]).changes, 0))
  }

  /** Adds images confirmed good to a product's training set for its next runs; returns how many were new. */
  addTrainingImages(productId: string, paths: readonly string[], who: string): number {
    const at = new Date().toISOString()
    try {
      return this.db.transaction(() => paths.reduce((n, p) => n + this.db.run('INSERT INTO training_additions (product_id, image_path, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [productId, p, who, at]).changes, 0))
    } catch (err) {
      if (isConstraint(err, 'foreign-key')) throw new WorkspaceRequestError(`no product ${productId}`)
      throw err
    }
  }

  /** A product's added training images; with `asOf`, only those added by then (a resumed run keeps its set). */
  trainingAdditions(productId: string, asOf?: string): string[] {
    const rows = this.db.all('SELECT image_path FROM training_additions WHERE product_id = ? AND added_at <= ? ORDER BY added_at, image_path', [productId, asOf ?? '9999']) as { image_path: string }[]
    return rows.map((r) => r.image_path)
  }
}
