// Worker-thread entry: runs engine jobs off the main thread so the window never stalls.
import { parentPort } from 'node:worker_threads'
import { runJob } from './run-job'
import { serveJobs } from './worker-host'

if (!parentPort) throw new Error('engine-worker must run in a worker thread')
serveJobs(parentPort, runJob)
