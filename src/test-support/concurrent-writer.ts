// A worker thread that writes to a workspace as one client would (a reviewer or a station), for the concurrency test and bench.
import { parentPort, workerData } from 'node:worker_threads'
import { openWorkspace } from '../main/workspace/workspace-db'
import { EvaluationStore } from '../main/workspace/evaluations'

/** What one writer does: `reviewer` gives verdicts on images 0..images-1 in turn; `station` adds scored items. */
export interface WriterJob {
  location: string
  files: string
  role: 'reviewer' | 'station'
  name: string
  runId: string
  evaluationId: string
  operations: number
  images: number
}

const job = workerData as WriterJob
const ws = openWorkspace(job.location, { files: job.files })
const evals = new EvaluationStore(ws.db)
const verdicts = ['defect', 'good', 'unsure'] as const
for (let i = 0; i < job.operations; i++) {
  if (job.role === 'reviewer') evals.setVerdict(job.runId, `/parts/${i % job.images}.png`, verdicts[i % 3], job.name)
  else evals.addItem(job.evaluationId, { index: i, path: `/station/${job.name}/${i}.png`, score: i / job.operations, label: null, defectType: null, hasMask: false, nearestPath: null })
}
ws.db.close()
parentPort!.postMessage('done')
