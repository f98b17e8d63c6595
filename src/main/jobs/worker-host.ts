// The worker side of the job protocol: runs each request it is sent, reports progress, result or error, and cancels on request.
import type { MessagePort } from 'node:worker_threads'
import type { FromWorker, ToWorker } from './worker-protocol'
import type { JobOutcome, JobRequest, JobUpdate } from '../../shared/models/job'
import { CancelledError } from '../engine/util/job'
import { toJobError } from '../engine/util/errors'

/** Runs one request (the engine's `runJob`, or a test's stand-in). */
export type JobExecutor = (request: JobRequest, signal: AbortSignal, send: (u: JobUpdate) => void) => Promise<JobOutcome>

/** Serves jobs on the worker's parent port until the worker ends. */
export function serveJobs(port: MessagePort, execute: JobExecutor): void {
  const running = new Map<string, AbortController>()
  const send = (m: FromWorker) => port.postMessage(m)
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'cancel') {
      running.get(msg.jobId)?.abort()
      return
    }
    const ac = new AbortController()
    running.set(msg.jobId, ac)
    execute(msg.request, ac.signal, (update) => send({ type: 'progress', jobId: msg.jobId, update }))
      .then((outcome) => send({ type: 'done', jobId: msg.jobId, outcome }))
      // An abort that surfaces as another error (a stream torn down mid-read) is still a cancellation.
      .catch((err: unknown) => send({ type: 'failed', jobId: msg.jobId, error: ac.signal.aborted ? toJobError(new CancelledError()) : toJobError(err) }))
      .finally(() => running.delete(msg.jobId))
  })
}
