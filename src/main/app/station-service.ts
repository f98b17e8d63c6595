// The app's inspection station: start, pause, resume, stop; live figures and the growing review queue.
import { randomUUID } from 'node:crypto'
import { lineSettings, type LineChoice } from '../../shared/models/line-messages'
import { join, resolve } from 'node:path'
import type { Jobs } from '../jobs/job-lanes'
import type { RunStore } from '../workspace/runs'
import type { EvaluationStore } from '../workspace/evaluations'
import { WorkspaceRequestError } from '../workspace/products'
import { isDir } from '../engine/data/list-files'
import { defaultLogPath } from '../engine/station/station'
import { csvPathOf } from '../engine/station/results-log'
import type { JobEvent } from '../../shared/models/job'
import { DEFAULT_COMMISSION_K, type StationEvent, type StationPart, type StationStatus } from '../../shared/models/station'
import { readModelMeta } from '../engine/model/model-file'
import { activeCalibrationScores } from '../engine/calibration/calibrate'
import { Commissioning } from '../engine/station/commissioning'
import { startsInCommissioning } from '../engine/station/commissioned-station'
import type { ReviewService } from './review-service'

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
  /** the commissioning rule (the engine's, as `pbas watch --commission` runs it); null before the first start */
  private commissioning: Commissioning | null = null
  private calibrateJobId: string | null = null
  /** the station job was cancelled to pick up a new calibration revision: start it again */
  private restarting = false

  constructor(
    private readonly runs: RunStore,
    private readonly evaluations: EvaluationStore,
    private readonly runner: Jobs,
    private readonly reviewsDir: string,
    /** recalibration as the review screens run it (test splits excluded); absent, commissioning proposes but cannot apply */
    private readonly reviews?: Pick<ReviewService, 'recalibrate'>,
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
  async start(runId: string, dir: string, sort: boolean, line?: LineChoice): Promise<StationStatus> {
    if (line) {
      try {
        lineSettings(line, process.env)
      } catch (err) {
        throw new WorkspaceRequestError((err as Error).message)
      }
    }
    if (this.active()) throw new WorkspaceRequestError(`a station is already watching ${this.station!.dir}; stop it first`)
    const run = this.runs.get(runId)
    if (run.state !== 'succeeded') throw new WorkspaceRequestError(`run ${runId} is ${run.state}; only a finished run has a model to inspect with`)
    const abs = resolve(dir)
    if (!(await isDir(abs))) throw new WorkspaceRequestError(`${abs} is not a folder; choose the folder the camera writes its images into`)
    const evaluation = this.evaluations.create(runId, abs, undefined, (id) => join(this.reviewsDir, runId, id))
    this.evaluations.setState(evaluation.id, 'running')
    const log = defaultLogPath(abs)
    const meta = await readModelMeta(run.modelDir)
    // PBAS_COMMISSION_K: a site that wants more (or, for tests, fewer) confirmed parts before recalibrating.
    const k = Number(process.env.PBAS_COMMISSION_K) >= 2 ? Math.floor(Number(process.env.PBAS_COMMISSION_K)) : DEFAULT_COMMISSION_K
    this.commissioning = new Commissioning(activeCalibrationScores(meta) ?? [], meta.calibrations?.active ?? null, k, startsInCommissioning(meta))
    this.station = {
      id: randomUUID(), version: 0, runId, productId: run.productId, dir: abs, sort, line, state: 'starting', evaluationId: evaluation.id, log, csv: csvPathOf(log),
      counters: null, recent: [], unreadable: [], startedAt: new Date().toISOString(), commissioning: this.commissioning.state(),
    }
    this.submit()
    return this.setState('starting')
  }

  private submit(): void {
    const s = this.station!
    const e = this.evaluations.get(s.evaluationId)
    const job = this.runner.submit({ kind: 'station', model: this.runs.get(s.runId).modelDir, dir: s.dir, sort: s.sort, log: s.log, reviewDir: e.dir, queueStart: e.images ?? 0, reviewFrom: this.commissioning?.reviewFrom() ?? null, line: s.line ? lineSettings(s.line, process.env) : undefined })
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

  /** Publishes the commissioning state when it changed. */
  private commissioningChanged(): void {
    const s = this.station
    if (!s || !this.commissioning) return
    const next = this.commissioning.state()
    if (JSON.stringify(next) === JSON.stringify(s.commissioning)) return
    // The station job reads its review level at start: when commissioning ends (or comes back), restart it.
    if (next.reviewFrom !== (s.commissioning?.reviewFrom ?? null) && this.jobId && s.state === 'running' && !this.restarting) {
      this.restarting = true
      this.runner.cancel(this.jobId)
    }
    s.commissioning = next
    s.version++
    this.emit({ type: 'status', station: this.snapshot() })
  }

  verdictSet(runId: string, imagePath: string, verdict: string | null): void {
    if (!this.station || this.station.runId !== runId || (verdict !== 'good' && verdict !== 'defect')) return
    if (this.commissioning?.answer(imagePath, verdict)) this.commissioningChanged()
  }

  /** Applies commissioning's proposal: a calibrate job on the confirmed parts; when it succeeds the station restarts with the new revision. */
  async recalibrate(id: string, by: string): Promise<StationStatus> {
    const s = this.require(id)
    const proposal = this.commissioning?.proposal()
    if (!proposal) throw new WorkspaceRequestError(`nothing to recalibrate on yet: the station proposes it once ${this.commissioning?.k ?? DEFAULT_COMMISSION_K} parts are confirmed good`)
    if (this.calibrateJobId) throw new WorkspaceRequestError('a recalibration is already under way')
    if (!this.reviews) throw new WorkspaceRequestError('this app cannot recalibrate from the station')
    const images = proposal.images.map((x) => x.path)
    const { jobId } = await this.reviews.recalibrate(s.runId, { images, origin: 'parts confirmed good at the station (commissioning)' }, by, proposal.replace)
    this.calibrateJobId = jobId
    s.version++
    return this.snapshot()
  }

  private async onCalibrated(e: JobEvent): Promise<void> {
    if (e.type !== 'state' || !['succeeded', 'failed', 'cancelled'].includes(e.state)) return
    this.calibrateJobId = null
    const s = this.station!
    if (e.state !== 'succeeded') {
      s.error = e.state === 'failed' ? `recalibration failed: ${e.error.message}` : 'recalibration cancelled'
      s.version++
      this.emit({ type: 'status', station: this.snapshot() })
      return
    }
    const meta = await readModelMeta(this.runs.get(s.runId).modelDir)
    this.commissioning?.recalibrated(meta.calibrations?.active ?? 0, activeCalibrationScores(meta) ?? [])
    this.commissioningChanged()
    // The running station decides with the thresholds it loaded: restart it on the same folder and log.
    if (this.jobId && (s.state === 'running' || s.state === 'starting') && !this.restarting) {
      this.restarting = true
      this.runner.cancel(this.jobId)
    }
  }

  private onJob(e: JobEvent): void {
    if (this.station && e.jobId === this.calibrateJobId) return void this.onCalibrated(e)
    if (!this.station || e.jobId !== this.jobId || e.kind !== 'station') return
    const s = this.station
    if (e.type === 'state') {
      if ((e.state === 'succeeded' || e.state === 'cancelled') && this.restarting) {
        this.restarting = false
        this.submit()
        this.setState('starting')
      } else if (e.state === 'succeeded' || e.state === 'cancelled') s.state === 'pausing' ? ((this.jobId = null), this.setState('paused')) : this.finish('stopped')
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
    } else if (p.kind === 'model') {
      s.version++
      this.emit({ type: 'status', station: this.snapshot() })
    } else {
      const item = p.extra?.item
      if (item) this.evaluations.addItem(s.evaluationId, item)
      const r = p.part
      const part: StationPart = { file: r.file, sortedTo: r.sortedTo, verdict: r.verdict, score: r.score, latencyMs: r.latencyMs, scoredAt: r.scoredAt, thumb: p.extra?.thumb, queueIndex: item?.index }
      s.recent = [part, ...s.recent].slice(0, RECENT)
      this.emit({ type: 'part', stationId: s.id, part, queued: !!item })
      // Verdicts are keyed by the queue item's path (where the part is now), so commissioning is too.
      const path = item?.path ?? join(s.dir, r.sortedTo ?? r.file)
      this.commissioning?.scored({ file: path, path, score: r.score, verdict: r.verdict })
      this.commissioningChanged()
    }
  }
}
