// Words of the desktop notifications sent when a run or an evaluation ends (Electron and browser mode say the same).
import type { RunRecord } from './models/workspace'
import type { JobState } from './models/job'
import { runDefaultName } from './pbas/run-name'

/** A notification's text. */
export interface Notice {
  title: string
  body: string
}

const done = (s: JobState) => s === 'succeeded' || s === 'failed' || s === 'cancelled'

function minutes(run: RunRecord): string {
  if (!run.startedAt || !run.finishedAt) return ''
  const s = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000
  return s >= 60 ? ` after ${Math.round(s / 60)} min` : ` after ${Math.round(s)} s`
}

/** The notice for a run's new state, or null when the run has not ended. */
export function runNotice(run: RunRecord): Notice | null {
  if (!done(run.state)) return null
  const name = run.name ?? runDefaultName(run.config)
  const auroc = run.metrics?.image_auroc
  const body = run.state === 'succeeded'
    ? `${name} finished${minutes(run)}${typeof auroc === 'number' ? `; I-AUROC ${(100 * auroc).toFixed(1)} % on the test split` : ''}. Open it to review.`
    : run.state === 'failed' ? `${name} failed: ${run.error ?? 'see the run'}` : `${name} was cancelled; it can resume from its last checkpoint.`
  return { title: run.state === 'succeeded' ? 'Training finished' : run.state === 'failed' ? 'Training failed' : 'Training cancelled', body }
}

/** The notice for an evaluation job's end, or null when it has not ended (or was cancelled by the user). */
export function evaluationNotice(state: JobState, source: string, error?: { message: string }): Notice | null {
  if (state === 'succeeded') return { title: 'Evaluation finished', body: `${source} is scored and ready to review.` }
  if (state === 'failed') return { title: 'Evaluation failed', body: `${source}: ${error?.message ?? 'see the review'}` }
  return null
}
