// A station as a member of the fleet: reports itself to the shared workspace every few seconds and takes the model runs pushed to it.
import { resolve } from 'node:path'
import type { FleetReport } from '../../shared/models/fleet'
import type { LineVerdict } from '../../shared/models/line-messages'
import type { StationCounters } from '../../shared/models/station'
import type { PbasModel } from '../engine/pipeline/predict'
import type { StationInput } from '../engine/station/station'
import type { StationPublisher } from '../engine/station/station-publisher'
import { modelRevision, thresholdRevision } from '../engine/station/line-verdict'
import { StationStore } from './stations'
import type { SqlDriver } from './sql/sql-driver'

/** Options of {@link FleetMember}. */
export interface FleetMemberOptions {
  db: SqlDriver
  station: string
  host: string
  model: PbasModel
  modelDir: string
  /** loads a pushed model (its checksums are checked on load: a damaged or altered copy is refused) */
  load: (modelDir: string) => Promise<PbasModel>
  publishes: FleetReport['publishes']
  /** how often the station reports and looks for a push (ms, default 2000) */
  everyMs?: number
}

/**
 * Publisher (it sees every verdict and the counters) and model switch of one station. A push is loaded in the
 * background while the station goes on with its model; the station takes it between parts and the next report
 * says which run it switched to and when. A push that cannot be loaded (a damaged or altered copy fails its checksums)
 * is withdrawn with the reason reported; the station keeps its model.
 */
export class FleetMember implements StationPublisher {
  private readonly store: StationStore
  private readonly timer: NodeJS.Timeout
  private runId: string | null
  private modelDir: string
  private model: PbasModel
  private loading: string | null = null
  /** the run the station is switching to (taken, not yet reported): a beat meanwhile must not load it again */
  private taking: string | null = null
  private offer: { model: PbasModel; modelDir: string; runId: string } | null = null
  private readonly state: FleetReport

  constructor(private readonly o: FleetMemberOptions) {
    this.store = new StationStore(o.db)
    this.model = o.model
    this.modelDir = resolve(o.modelDir)
    this.runId = this.store.runOfModel(this.modelDir)
    this.state = {
      state: 'running', modelDir: this.modelDir, modelRevision: modelRevision(o.model.meta), thresholdRevision: thresholdRevision(o.model.meta), imagesPerSecond: 0, latencyP95Ms: null,
      pass: 0, review: 0, fail: 0, unreadable: 0, driftShifted: false, last: null, switched: null, pushError: null, publishes: o.publishes, acceptsPush: true,
    }
    this.beat()
    this.timer = setInterval(() => this.beat(), o.everyMs ?? 2000)
  }

  /** Writes the report and starts loading a new push. */
  beat(): void {
    this.store.report(this.o.station, this.o.station, this.o.host, this.runId, this.state)
    // Pushing the run a station already has reloads it: that is how a recalibration (new thresholds, same weights) reaches it.
    const push = this.store.pushed(this.o.station)
    if (!push || push.runId === this.loading || push.runId === this.taking || this.offer?.runId === push.runId) return
    this.loading = push.runId
    this.o.load(push.modelDir).then(
      (model) => {
        this.offer?.model.dispose()
        this.offer = { model, modelDir: push.modelDir, runId: push.runId }
        this.loading = null
      },
      (err: unknown) => {
        this.loading = null
        // The push is withdrawn with the reason shown; pushing it again (after mending the files) tries again.
        this.state.pushError = `the pushed run ${push.runId} could not be loaded: ${(err as Error).message}`
        this.store.took(this.o.station, push.runId)
      },
    )
  }

  /** The station's side of a switch. */
  readonly modelSwitch: NonNullable<StationInput['modelSwitch']> = {
    ready: () => !!this.offer,
    next: () => {
      const o = this.offer
      if (!o) return null
      this.offer = null
      this.taking = o.runId
      this.runId = o.runId
      this.modelDir = o.modelDir
      this.model = o.model
      Object.assign(this.state, { modelDir: o.modelDir, modelRevision: modelRevision(o.model.meta), thresholdRevision: thresholdRevision(o.model.meta), switched: { runId: o.runId, at: new Date().toISOString() }, pushError: null })
      return { model: o.model, modelDir: o.modelDir }
    },
    switched: (old) => {
      old.dispose()
      this.store.took(this.o.station, this.runId!)
      this.taking = null
      this.beat()
    },
  }

  /** The model the station scores with now (the caller disposes it after the station stopped). */
  current(): PbasModel {
    return this.model
  }

  async verdict(v: Omit<LineVerdict, 'seq'>): Promise<void> {
    this.state.last = { partId: v.partId, score: v.score, verdict: v.verdict, at: v.scoredAt }
  }

  counters(c: StationCounters): void {
    Object.assign(this.state, { imagesPerSecond: c.imagesPerSecond, latencyP95Ms: c.latencyP95Ms, pass: c.pass, review: c.review, fail: c.fail, unreadable: c.unreadable, driftShifted: !!c.drift?.shifted })
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    this.offer?.model.dispose()
    this.offer = null
    this.state.state = 'stopped'
    this.store.report(this.o.station, this.o.station, this.o.host, this.runId, this.state)
  }
}
