// Job runner: queues engine jobs, runs them one at a time in a worker thread, throttles their progress.
import { Worker } from 'node:worker_threads'
import { randomUUID } from 'node:crypto'
import type { JobEvent, JobInfo, JobRequest } from '../../shared/models/job'
import type { FromWorker, ToWorker } from './worker-protocol'

/** Options: the worker script (out/main/engine-worker.js in the app) and the progress rate. */
export interface JobRunnerOptions {
  /** built worker (.js); a .ts source is run through tsx (tests, benchmarks) */
  workerScript: string
  /** minimum gap between progress events per job; state changes are never delayed */
  progressIntervalMs?: number
}

/**
 * One CPU-bound job at a time (the engine already uses every core), in a worker so the UI thread stays
 * responsive. Progress arrives at step rate and is forwarded at most every `progressIntervalMs`.
 */
export class JobRunner {
  private readonly jobs = new Map<string, JobInfo>()
  private readonly queue: string[] = []
  private readonly listeners = new Set<(e: JobEvent) => void>()
  private readonly pending = new Map<string, { progress: Record<string, unknown>; timer: NodeJS.Timeout | null; last: number }>()
  private worker: Worker | null = null
  private current: string | null = null

  constructor(private readonly opts: JobRunnerOptions) {}

  /** Subscribes to job events; returns the unsubscribe function. */
  on(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Queues a job and returns its snapshot. */
  submit(request: JobRequest): JobInfo {
    const info: JobInfo = { id: randomUUID(), request, state: 'queued', createdAt: new Date().toISOString() }
    this.jobs.set(info.id, info)
    this.queue.push(info.id)
    this.emit({ type: 'state', jobId: info.id, state: 'queued' })
    // Start on the next turn, so the caller can map the returned id before the 'running' event.
    setImmediate(() => this.pump())
    return { ...info }
  }

  /** Cancels a queued or running job; false when it already finished or does not exist. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id)
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return false
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1)
      this.finish(id, 'cancelled')
    } else this.worker?.postMessage({ type: 'cancel', jobId: id } satisfies ToWorker)
    return true
  }

  get(id: string): JobInfo | undefined {
    const j = this.jobs.get(id)
    return j && { ...j }
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j }))
  }

  /** Stops the worker; running work is abandoned. */
  async dispose(): Promise<void> {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer)
    await this.worker?.terminate()
    this.worker = null
  }

  private emit(e: JobEvent): void {
    for (const l of this.listeners) l(e)
  }

  private spawn(): Worker {
    const script = this.opts.workerScript
    const w = script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)})`, { eval: true })
      : new Worker(script)
    w.on('message', (m: FromWorker) => this.onMessage(m))
    w.on('error', (err) => this.onWorkerDeath(`engine worker failed: ${err.message}`))
    w.on('exit', (code) => code !== 0 && this.onWorkerDeath(`engine worker stopped (exit code ${code})`))
    return w
  }

  private onWorkerDeath(message: string): void {
    this.worker = null
    if (this.current) this.finish(this.current, 'failed', message)
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return
    const id = this.queue.shift()!
    const job = this.jobs.get(id)!
    this.current = id
    job.state = 'running'
    job.startedAt = new Date().toISOString()
    this.emit({ type: 'state', jobId: id, state: 'running' })
    this.worker ??= this.spawn()
    this.worker.postMessage({ type: 'start', jobId: id, request: job.request } satisfies ToWorker)
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'progress') return this.throttle(m.jobId, m.progress)
    if (m.type === 'done') this.finish(m.jobId, 'succeeded', undefined, m.result)
    else this.finish(m.jobId, m.cancelled ? 'cancelled' : 'failed', m.cancelled ? undefined : m.error)
  }

  private throttle(id: string, progress: Record<string, unknown>): void {
    const job = this.jobs.get(id)
    if (job) job.lastProgress = progress
    // Only high-rate events (steps, counters) are thinned; epoch summaries, stages and checkpoints always arrive.
    if (progress.kind !== 'step' && progress.kind !== 'progress') {
      const p = this.pending.get(id)
      if (p?.timer) {
        clearTimeout(p.timer)
        p.timer = null
        this.emit({ type: 'progress', jobId: id, progress: p.progress })
      }
      this.emit({ type: 'progress', jobId: id, progress })
      return
    }
    const interval = this.opts.progressIntervalMs ?? 100
    const p = this.pending.get(id) ?? { progress, timer: null, last: 0 }
    p.progress = progress
    this.pending.set(id, p)
    const flush = () => {
      p.timer = null
      p.last = Date.now()
      this.emit({ type: 'progress', jobId: id, progress: p.progress })
    }
    const wait = p.last + interval - Date.now()
    if (wait <= 0 && !p.timer) flush()
    else if (!p.timer) p.timer = setTimeout(flush, wait)
  }

  private finish(id: string, state: JobInfo['state'], error?: string, result?: unknown): void {
    const job = this.jobs.get(id)
    if (!job) return
    const p = this.pending.get(id)
    if (p?.timer) {
      // Deliver the last progress before the final state so a view never ends on a stale figure.
      clearTimeout(p.timer)
      this.emit({ type: 'progress', jobId: id, progress: p.progress })
    }
    this.pending.delete(id)
    Object.assign(job, { state, error, result, finishedAt: new Date().toISOString() })
    this.emit({ type: 'state', jobId: id, state, error, result })
    if (this.current === id) {
      this.current = null
      this.pump()
    }
  }
}
