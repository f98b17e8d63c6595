// Job runner: queues engine jobs, runs them one at a time in a worker thread, throttles their progress.
import { Worker } from 'node:worker_threads'
import { randomUUID } from 'node:crypto'
import type { JobError, JobEvent, JobInfo, JobOutcome, JobRequest, JobUpdate } from '../../shared/models/job'
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
  private readonly pending = new Map<string, { update: JobUpdate; timer: NodeJS.Timeout | null; last: number }>()
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
    this.emit({ type: 'state', jobId: info.id, kind: request.kind, state: 'queued' })
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
      this.fail(id, { code: 'cancelled', message: 'cancelled before it started' })
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
    if (this.current) this.fail(this.current, { code: 'engine', message })
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return
    const id = this.queue.shift()!
    const job = this.jobs.get(id)!
    this.current = id
    job.state = 'running'
    job.startedAt = new Date().toISOString()
    this.emit({ type: 'state', jobId: id, kind: job.request.kind, state: 'running' })
    this.worker ??= this.spawn()
    this.worker.postMessage({ type: 'start', jobId: id, request: job.request } satisfies ToWorker)
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'progress') return this.throttle(m.jobId, m.update)
    if (m.type === 'done') this.succeed(m.jobId, m.outcome)
    else this.fail(m.jobId, m.error)
  }

  private throttle(id: string, update: JobUpdate): void {
    const job = this.jobs.get(id)
    if (job) job.lastProgress = update
    // Only high-rate events (steps, counters) are thinned; epoch summaries, stages and checkpoints always arrive.
    if (update.progress.kind !== 'step' && update.progress.kind !== 'progress') {
      this.flushPending(id)
      this.emit({ type: 'progress', jobId: id, ...update })
      return
    }
    const interval = this.opts.progressIntervalMs ?? 100
    const p = this.pending.get(id) ?? { update, timer: null, last: 0 }
    p.update = update
    this.pending.set(id, p)
    const flush = () => {
      p.timer = null
      p.last = Date.now()
      this.emit({ type: 'progress', jobId: id, ...p.update })
    }
    const wait = p.last + interval - Date.now()
    if (wait <= 0 && !p.timer) flush()
    else if (!p.timer) p.timer = setTimeout(flush, wait)
  }

  /** Delivers a held-back progress event now, so a view never ends on a stale figure. */
  private flushPending(id: string): void {
    const p = this.pending.get(id)
    if (p?.timer) {
      clearTimeout(p.timer)
      p.timer = null
      this.emit({ type: 'progress', jobId: id, ...p.update })
    }
  }

  private succeed(id: string, outcome: JobOutcome): void {
    const job = this.end(id, 'succeeded')
    if (!job) return
    job.outcome = outcome
    this.emit({ type: 'state', jobId: id, state: 'succeeded', ...outcome })
    this.next(id)
  }

  private fail(id: string, error: JobError): void {
    const state = error.code === 'cancelled' ? 'cancelled' : 'failed'
    const job = this.end(id, state)
    if (!job) return
    job.error = error
    // Two literals, not one with a union state: TypeScript compares a union against JobEvent only up to 25 combinations.
    const kind = job.request.kind
    this.emit(state === 'cancelled' ? { type: 'state', jobId: id, kind, state, error } : { type: 'state', jobId: id, kind, state, error })
    this.next(id)
  }

  private end(id: string, state: JobInfo['state']): JobInfo | undefined {
    const job = this.jobs.get(id)
    if (!job) return undefined
    this.flushPending(id)
    this.pending.delete(id)
    Object.assign(job, { state, finishedAt: new Date().toISOString() })
    return job
  }

  private next(id: string): void {
    if (this.current === id) {
      this.current = null
      this.pump()
    }
  }
}
