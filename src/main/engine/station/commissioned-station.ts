// A station in commissioning: the station itself, plus reviewers' answers and one-action recalibration that reloads it.
import { join, resolve } from 'node:path'
import type { CalibrationRevision } from '../../../shared/models/calibration'
import type { CommissioningState } from '../../../shared/models/station'
import type { BackboneContext } from '../backbone/load-backbone'
import { readModelMeta, type ModelMeta } from '../model/model-file'
import { PbasModel } from '../pipeline/predict'
import { recalibrate } from '../pipeline/recalibrate'
import { activeCalibrationScores } from '../calibration/calibrate'
import type { JobOptions } from '../util/job'
import { Commissioning } from './commissioning'
import { runStation, type StationInput, type StationProgress, type StationSummary } from './station'

/** What a commissioned station needs beyond a plain one: how to load the model, who recalibrates, K. */
export interface CommissionedStationInput extends Omit<StationInput, 'model'> {
  ctx: BackboneContext
  /** confirmed good parts before recalibration is proposed */
  k?: number
  /** recorded as the revision's author */
  by: string
  /** images that must never calibrate (test splits) */
  exclude?: readonly string[]
}

/** A station event, or where commissioning stands, or a revision it recorded. */
export type CommissionedProgress =
  | StationProgress
  | { kind: 'commissioning'; state: CommissioningState }
  | { kind: 'recalibrated'; revision: CalibrationRevision; replace: boolean; refused: { path: string; reason: string }[] }

/** Commissioning starts for a model still on the thresholds it was trained with (its first, 'training' revision). */
export function startsInCommissioning(meta: Pick<ModelMeta, 'calibrations'>): boolean {
  const c = meta.calibrations
  return !!c && c.active === 1 && c.revisions.length === 1
}

/**
 * Runs the station (runStation, unchanged) and, around it, the commissioning rule. `answer` relays a reviewer's
 * verdict on a queued part; `accept` applies the proposed recalibration: the running station stops, the new
 * revision is written (model.json only; `--use N` / selectRevision undoes it), and the station restarts on the
 * same folder and log with the new thresholds, scoring whatever arrived meanwhile.
 */
export class CommissionedStation {
  private commissioning: Commissioning | null = null
  private current: AbortController | null = null
  private accepting: { resolve: (r: CalibrationRevision) => void; reject: (e: unknown) => void } | null = null

  constructor(
    private readonly input: CommissionedStationInput,
    private readonly opts: JobOptions<CommissionedProgress> = {},
  ) {}

  private emitState(): void {
    if (this.commissioning) this.opts.onProgress?.({ kind: 'commissioning', state: this.commissioning.state() })
  }

  /** Where commissioning stands (null before the model is loaded). */
  state(): CommissioningState | null {
    return this.commissioning?.state() ?? null
  }

  /** A reviewer's answer on a part in review or fail (`file` as the log names it); false if it was not waiting. */
  answer(file: string, label: 'good' | 'defect'): boolean {
    const ok = !!this.commissioning?.answer(file, label)
    if (ok) this.emitState()
    return ok
  }

  /** Applies the current proposal; resolves with the new revision once it is written. */
  accept(): Promise<CalibrationRevision> {
    if (!this.commissioning?.proposal()) return Promise.reject(new Error('there is no recalibration to accept yet: it is proposed once enough parts are confirmed good'))
    if (this.accepting) return Promise.reject(new Error('a recalibration is already under way'))
    return new Promise((res, rej) => {
      this.accepting = { resolve: res, reject: rej }
      this.current?.abort()
    })
  }

  /** Runs until the caller's signal aborts; returns the last session's summary. */
  async run(): Promise<StationSummary> {
    const dir = resolve(this.input.dir)
    let summary: StationSummary | null = null
    while (!this.opts.signal?.aborted) {
      const model = await PbasModel.load(this.input.modelDir, this.input.ctx)
      const meta = model.meta
      this.commissioning ??= new Commissioning(activeCalibrationScores(meta) ?? [], meta.calibrations?.active ?? null, this.input.k, startsInCommissioning(meta))
      this.emitState()
      const ac = new AbortController()
      this.current = ac
      const stop = () => ac.abort()
      this.opts.signal?.addEventListener('abort', stop, { once: true })
      try {
        summary = await runStation({ ...this.input, model, reviewFrom: () => this.commissioning?.reviewFrom() ?? null }, {
          signal: ac.signal,
          onProgress: (e) => {
            this.opts.onProgress?.(e)
            if (e.kind !== 'part') return
            const p = e.part
            this.commissioning!.scored({ file: p.file, path: join(dir, p.sortedTo ?? p.file), score: p.score, verdict: p.verdict })
            this.emitState()
          },
        })
      } finally {
        this.opts.signal?.removeEventListener('abort', stop)
        this.current = null
        model.dispose()
      }
      if (!this.accepting) break
      await this.recalibrateNow()
    }
    return summary!
  }

  private async recalibrateNow(): Promise<void> {
    const waiting = this.accepting!
    this.accepting = null
    try {
      const proposal = this.commissioning!.proposal()!
      const { revision, refused } = await recalibrate(
        { modelDir: this.input.modelDir, images: proposal.images.map((x) => x.path), by: this.input.by, from: 'parts confirmed good at the station (commissioning)', exclude: this.input.exclude, replace: proposal.replace },
        this.input.ctx,
        { signal: this.opts.signal },
      )
      const meta = await readModelMeta(this.input.modelDir)
      this.commissioning!.recalibrated(revision.id, activeCalibrationScores(meta) ?? revision.images.map((x) => x.score))
      this.opts.onProgress?.({ kind: 'recalibrated', revision, replace: proposal.replace, refused })
      this.emitState()
      waiting.resolve(revision)
    } catch (err) {
      waiting.reject(err)
    }
  }
}
