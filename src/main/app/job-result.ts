// Runs one job to its end and hands back its result: for services that need an engine answer before they reply.
import type { Jobs } from '../jobs/job-lanes'
import type { JobKind, JobMap, JobRequestOf } from '../../shared/models/job'
import { fromJobError } from '../engine/util/errors'

/** Submits `request` and resolves with its result; a failed or cancelled job rejects with its error (code kept). */
export function jobResult<K extends JobKind>(runner: Jobs, request: JobRequestOf<K>): Promise<JobMap[K]['result']> {
  return new Promise((resolve, reject) => {
    let id: string | null = null
    const early: Parameters<Parameters<Jobs['on']>[0]>[0][] = []
    const settle = (e: Parameters<Parameters<Jobs['on']>[0]>[0]) => {
      if (e.jobId !== id || e.type !== 'state') return
      if (e.state === 'succeeded') (off(), resolve(e.result as JobMap[K]['result']))
      else if (e.state === 'failed' || e.state === 'cancelled') (off(), reject(fromJobError(e.error)))
    }
    // Events may arrive before submit returns the id: keep them until it is known.
    const off = runner.on((e) => (id === null ? early.push(e) : settle(e)))
    id = runner.submit(request as never).id
    early.forEach(settle)
  })
}
