// Worker-thread entry: runs engine jobs off the main thread so the window never stalls.
import { parentPort } from 'node:worker_threads'
import type { FromWorker, ToWorker } from './worker-protocol'
import { CancelledError } from '../engine/util/job'
import { toJobError } from '../engine/util/errors'
import { runJob } from './run-job'

const port = parentPort
if (!port) throw new Error('engine-worker must run in a worker thread')
const running = new Map<string, AbortController>()
const send = (m: FromWorker) => port.postMessage(m)

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel') {
    running.get(msg.jobId)?.abort()
    return
  }
  const ac = new AbortController()
  running.set(msg.jobId, ac)
  runJob(msg.request, ac.signal, (update) => send({ type: 'progress', jobId: msg.jobId, update }))
    .then((outcome) => send({ type: 'done', jobId: msg.jobId, outcome }))
    // An abort that surfaces as another error (a stream torn down mid-read) is still a cancellation.
    .catch((err: unknown) => send({ type: 'failed', jobId: msg.jobId, error: ac.signal.aborted ? toJobError(new CancelledError()) : toJobError(err) }))
    .finally(() => running.delete(msg.jobId))
})
