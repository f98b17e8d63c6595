// Test helper: the engine worker plus a 'sleep' job (steps x ms, cancellable) for job-runner tests; the production job contract has no such job.
import { parentPort } from 'node:worker_threads'
import type { JobOutcome, JobRequest, JobUpdate } from '../shared/models/job'
import { throwIfCancelled } from '../main/engine/util/job'
import { runJob } from '../main/jobs/run-job'
import { serveJobs } from '../main/jobs/worker-host'

/** A request for the sleep job, typed as a request so the runner accepts it. */
export function sleepRequest(steps: number, ms: number): JobRequest {
  return { kind: 'sleep', steps, ms } as unknown as JobRequest
}

async function sleepJob(request: { steps: number; ms: number }, signal: AbortSignal, send: (u: JobUpdate) => void): Promise<JobOutcome> {
  for (let i = 1; i <= request.steps; i++) {
    throwIfCancelled(signal)
    await new Promise((r) => setTimeout(r, request.ms))
    send({ kind: 'sleep', progress: { kind: 'progress', stage: 'sleep', done: i, total: request.steps, etaSeconds: null } } as unknown as JobUpdate)
  }
  return { kind: 'sleep', result: { slept: request.steps } } as unknown as JobOutcome
}

if (parentPort)
  serveJobs(parentPort, (request, signal, send) => ((request.kind as string) === 'sleep' ? sleepJob(request as unknown as { steps: number; ms: number }, signal, send) : runJob(request, signal, send)))
