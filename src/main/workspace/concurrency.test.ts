import { afterEach, describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { EvaluationStore } from './evaluations'
import { finishedRuns, workspaceBackends, type TestLocation } from '../../test-support/test-workspaces'
import type { WriterJob } from '../../test-support/concurrent-writer'
import { REPO_ROOT } from '../../test-support/shared'

const writer = (job: WriterJob) =>
  new Promise<void>((resolve, reject) => {
    const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(join(REPO_ROOT, 'src/test-support/concurrent-writer.ts'))})`, { eval: true, workerData: job })
    w.once('message', () => resolve())
    w.once('error', reject)
    w.once('exit', (code) => (code ? reject(new Error(`writer ${job.name} exited with ${code}`)) : resolve()))
  })

describe.each(workspaceBackends())('several clients on one $name workspace', (backend) => {
  let ws: TestLocation | undefined
  afterEach(() => ws?.dispose())

  it.skipIf(backend.skip)(backend.skip || 'two reviewers and a station writing at once, while the engineer recalibrates, lose nothing', async () => {
    ws = backend.create()
    const { db } = ws.open()
    const evals = new EvaluationStore(db)
    const [runId] = finishedRuns(db, ['/models/a']).runIds
    const station = evals.create(runId, 'station', undefined, () => '/reviews/station')
    const base = { location: ws.location, files: ws.files, runId, evaluationId: station.id, images: 400 }
    const writers = Promise.all([
      writer({ ...base, role: 'reviewer', name: 'ana', operations: 1200 }),
      writer({ ...base, role: 'reviewer', name: 'ben', operations: 1200 }),
      writer({ ...base, role: 'station', name: 'line-1', operations: 1500 }),
    ])
    // The engineer recalibrates the same evaluation while the station writes into it.
    let recalibrations = 0
    const recalibrate = setInterval(() => {
      evals.setThreshold(station.id, { mode: 'manual', value: 0.5 + recalibrations / 1000, review: 0.4 })
      recalibrations++
    }, 5)
    await writers.finally(() => clearInterval(recalibrate))

    // Every station result is there, each with its own score.
    const items = evals.items(station.id)
    expect(items).toHaveLength(1500)
    expect(items.every((x) => x.score === x.index / 1500 && x.path === `/station/line-1/${x.index}.png`)).toBe(true)
    // Every verdict is in the history; each image's current verdict is the most recent one given on it (by its time, whichever committed last).
    expect(db.get('SELECT COUNT(*) AS n FROM verdict_history')).toEqual({ n: 2400 })
    const current = evals.verdicts(runId)
    expect(current).toHaveLength(400)
    for (const v of current) {
      const history = evals.verdictHistory(runId, v.imagePath)
      expect(history).toHaveLength(6)
      expect(history.some((h) => h.reviewer === v.reviewer && h.verdict === v.verdict && h.at === v.at)).toBe(true)
      expect(v.at >= history[history.length - 1].at).toBe(true)
    }
    // The last recalibration is the evaluation's threshold.
    expect(recalibrations).toBeGreaterThan(0)
    expect(evals.get(station.id).threshold).toEqual({ mode: 'manual', value: 0.5 + (recalibrations - 1) / 1000, review: 0.4 })
  })
})
