// The app's own station as a member of the fleet: reports it to the workspace (it takes no pushes: it runs the run it was started on).
import { hostname } from 'node:os'
import type { FleetReport } from '../../shared/models/fleet'
import type { StationEvent, StationStatus } from '../../shared/models/station'
import { readModelMeta } from '../engine/model/model-file'
import { modelRevision, thresholdRevision } from '../engine/station/line-verdict'
import type { RunStore } from '../workspace/runs'
import type { StationStore } from '../workspace/stations'

/** How often a running station's report is written (the fleet shows stations silent for 10 s as not reporting). */
const EVERY_MS = 2000

/**
 * Listens to the app's station and writes its report: on every state change, and at most every 2 s while parts
 * and counters come. Its name on the fleet is the one it publishes to the line under, else `<host>-app`.
 */
export class DeskStationReport {
  private report: FleetReport | null = null
  /** the station as its last status event showed it */
  private current: StationStatus | null = null
  private last = 0
  private revisions = new Map<string, { model: string | null; threshold: number | null }>()

  constructor(
    private readonly fleet: StationStore,
    private readonly runs: RunStore,
    subscribe: (l: (e: StationEvent) => void) => () => void,
    private readonly host = hostname(),
  ) {
    subscribe((e) => void this.on(e).catch(() => {}))
  }

  private id(s: StationStatus): string {
    return s.line?.station ?? `${this.host.split('.')[0]}-app`
  }

  private async on(e: StationEvent): Promise<void> {
    if (e.type === 'status') {
      const s = e.station
      const run = this.runs.get(s.runId)
      if (!this.revisions.has(run.id)) {
        const meta = await readModelMeta(run.modelDir).catch(() => null)
        this.revisions.set(run.id, { model: meta ? modelRevision(meta) : null, threshold: meta ? thresholdRevision(meta) : null })
      }
      const rev = this.revisions.get(run.id)!
      const c = s.counters
      this.report = {
        state: ['stopped', 'failed'].includes(s.state) ? 'stopped' : 'running', modelDir: run.modelDir, modelRevision: rev.model, thresholdRevision: rev.threshold,
        imagesPerSecond: c?.imagesPerSecond ?? 0, latencyP95Ms: c?.latencyP95Ms ?? null, pass: c?.pass ?? 0, review: c?.review ?? 0, fail: c?.fail ?? 0, unreadable: c?.unreadable ?? 0,
        driftShifted: !!c?.drift?.shifted, last: this.report?.last ?? null, switched: null, pushError: null, publishes: { mqtt: !!s.line?.mqtt, opcua: !!s.line?.opcua }, acceptsPush: false,
      }
      this.write(s, true)
      return
    }
    if (!this.report || !this.current) return
    if (e.type === 'counters') {
      const c = e.counters
      Object.assign(this.report, { imagesPerSecond: c.imagesPerSecond, latencyP95Ms: c.latencyP95Ms, pass: c.pass, review: c.review, fail: c.fail, unreadable: c.unreadable, driftShifted: !!c.drift?.shifted })
    } else this.report.last = { partId: e.part.file, score: e.part.score, verdict: e.part.verdict, at: e.part.scoredAt }
    this.write(this.current, false)
  }

  private write(s: StationStatus, now: boolean): void {
    this.current = s
    if (!now && Date.now() - this.last < EVERY_MS) return
    this.last = Date.now()
    this.fleet.report(this.id(s), this.id(s), this.host, s.runId, this.report!)
  }
}
