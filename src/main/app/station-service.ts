// The app's inspection station: start, pause, resume, stop; live figures and the growing review queue.
import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { Jobs } from '../jobs/job-lanes'
import type { RunStore } from '../workspace/runs'
import type { EvaluationStore } from '../workspace/evaluations'
import { WorkspaceRequestError } from '../workspace/products'
import { isDir } from '../engine/data/list-files'
import { defaultLogPath } from '../engine/station/station'
import { csvPathOf } from '../engine/station/results-log'
import type { JobEvent } from '../../shared/models/job'
import type { StationEvent, StationPart, StationStatus } from '../../shared/models/station'

const RECENT = 12

/**
 * One station at a time, in its own job lane (its own worker), so evaluations, plots and training go on
 * while it runs. Pausing ends the station's job and resuming starts a new one on the same folder and log:
 * the log makes a restart skip what was scored and score what arrived meanwhile, so pause costs nothing
 * but the model's reload. Parts in the review band and failed parts become items of a folder evaluation
 * of the run, which the review grid shows and reviewers set verdicts on while the line runs.
 */
export class StationService {
  private station: StationStatus | null = null
  private jobId: string | null = null
  private readonly listeners = new Set<(e: StationEvent) => void>()

  constructor(
    private readonly runs: RunStore,
    private readonly evaluations: EvaluationStore,
    private readonly runner: Jobs,
    private readonly reviewsDir: string,
  ) {
    runner.on((e) => this.onJob(e))
  }

  on(listener: (e: StationEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(e: StationEvent): void {
    for (const l of this.listeners) l(e)
  }

  private snapshot(): StationStatus {
    const s = this.station!
    return { ...s, recent: [...s.recent], unreadable: [...s.unreadable] }
  }

  private setState(state: StationStatus['state'], error?: string): StationStatus {
    this.station!.state = state
    this.station!.error = error
    this.station!.version++
    const snap = this.snapshot()
    this.emit({ type: 'status', station: snap })
    return snap
  }

  /** The current (or last) station, or null before the first start. */
  status(): StationStatus | null {
    return this.station && this.snapshot()
  }

  private active(): boolean {
    return !!this.station && !['stopped', 'failed'].includes(this.station.state)
  }

  private require(id: string): StationStatus {
    if (!this.station || this.station.id !== id) throw new WorkspaceRequestError(`no station ${id}; it may have been replaced by a newer one`)
    return this.station
  }

  /** Starts watching `dir` with a finished run's model. */
  async start(runId: string, dir: string, sort: boolean): Promise<StationStatus> {
    if (this.active()) throw new WorkspaceRequestError(`a station is already watching ${this.station!.dir}; stop it first`)
    const run = this.runs.get(runId)
    if (run.state !== 'succeeded') throw new WorkspaceRequestError(`run ${runId} is ${run.state}; only a finished run has a model to inspect with`)
    const abs = resolve(dir)
    if (!(await isDir(abs))) throw new WorkspaceRequestError(`${abs} is not a folder; choose the folder the camera writes its images into`)
    const evaluation = this.evaluations.create(runId, abs, undefined, (id) => join(this.reviewsDir, runId, id))
    this.evaluations.setState(evaluation.id, 'running')
    const log = defaultLogPath(abs)
    this.station = {
      id: randomUUID(), version: 0, runId, dir: abs, sort, state: 'starting', evaluationId: evaluation.id, log, csv: csvPathOf(log),
      counters: null, recent: [], unreadable: [], startedAt: new Date().toISOString(),
    }
    this.submit()
    return this.setState('starting')
  }

  private submit(): void {
    const s = this.station!
    const e = this.evaluations.get(s.evaluationId)
    const job = this.runner.submit({ kind: 'station', model: this.runs.get(s.runId).modelDir, dir: s.dir, sort: s.sort, log: s.log, reviewDir: e.dir, queueStart: e.images ?? 0 })
    this.jobId = job.id
  }

  /** Stops scoring; files keep arriving in the folder and are scored on resume. */
  pause(id: string): StationStatus {
    const s = this.require(id)
    if (s.state !== 'running' && s.state !== 'starting') throw new WorkspaceRequestError(`the station is ${s.state}; only a running station pauses`)
    if (this.jobId) this.runner.cancel(this.jobId)
    return this.setState('pausing')
  }

  resume(id: string): StationStatus {
    const s = this.require(id)
    if (s.state !== 'paused') throw new WorkspaceRequestError(`the station is ${s.state}; only a paused station resumes`)
    this.submit()
    return this.setState('starting')
  }

  stop(id: string): StationStatus {
    const s = this.require(id)
    if (s.state === 'paused') return this.finish('stopped')
    if (!this.active()) throw new WorkspaceRequestError(`the station is already ${s.state}`)
    if (this.jobId) this.runner.cancel(this.jobId)
    return this.setState('stopping')
  }

  /** The app is closing: the worker goes away with it; the queue so far stays a finished, reviewable evaluation. */
  dispose(): void {
    if (this.active()) this.finish('stopped')
  }

  /** Ends the station; its review queue becomes a finished evaluation (or a failed one, with the reason). */
  private finish(state: 'stopped' | 'failed', error?: string): StationStatus {
    const s = this.station!
    this.jobId = null
    this.evaluations.setState(s.evaluationId, state === 'stopped' ? 'succeeded' : 'failed', error)
    return this.setState(state, error)
  }

  private onJob(e: JobEvent): void {
    if (!this.station || e.jobId !== this.jobId || e.kind !== 'station') return
    const s = this.station
    if (e.type === 'state') {
      if (e.state === 'succeeded' || e.state === 'cancelled') s.state === 'pausing' ? ((this.jobId = null), this.setState('paused')) : this.finish('stopped')
      else if (e.state === 'failed') this.finish('failed', e.error.message)
      return
    }
    const p = e.progress
    if (p.kind === 'station') {
      s.log = p.log
      s.csv = p.csv
      if (s.state === 'starting') this.setState('running')
    } else if (p.kind === 'counters') {
      s.counters = p.counters
      this.emit({ type: 'counters', stationId: s.id, counters: p.counters })
    } else if (p.kind === 'unreadable') {
      s.unreadable = [{ file: p.record.file, reason: p.record.reason }, ...s.unreadable].slice(0, 20)
      s.version++
      this.emit({ type: 'status', station: this.snapshot() })
    } else {
      const item = p.extra?.item
      if (item) this.evaluations.addItem(s.evaluationId, item)
      const r = p.part
      const part: StationPart = { file: r.file, sortedTo: r.sortedTo, verdict: r.verdict, score: r.score, latencyMs: r.latencyMs, scoredAt: r.scoredAt, thumb: p.extra?.thumb, queueIndex: item?.index }
      s.recent = [part, ...s.recent].slice(0, RECENT)
      this.emit({ type: 'part', stationId: s.id, part, queued: !!item })
    }
  }
}
