// The fleet: stations writing to a shared workspace, as the app lists them, and the model pushed to each.

/** What a station last reported about itself (written every few seconds while it runs). */
export interface FleetReport {
  state: 'running' | 'stopped'
  modelDir: string | null
  modelRevision: string | null
  thresholdRevision: number | null
  imagesPerSecond: number
  latencyP95Ms: number | null
  pass: number
  review: number
  fail: number
  unreadable: number
  driftShifted: boolean
  last: { partId: string; score: number; verdict: 'pass' | 'review' | 'fail'; at: string } | null
  /** when the station last took over a pushed model, and which run that was */
  switched: { runId: string; at: string } | null
  /** why the pushed model could not be taken (it keeps the one it has) */
  pushError: string | null
  /** MQTT / OPC UA configured on the station */
  publishes: { mqtt: boolean; opcua: boolean }
  /** false for a station run from the app (it runs the run it was started on; start it again to change) */
  acceptsPush: boolean
}

/** A station of the fleet. */
export interface FleetStation {
  id: string
  name: string
  host: string
  /** the workspace run whose model it scores with (null: a model folder from outside the workspace) */
  runId: string | null
  /** the run pushed to it, if it has not taken it yet or could not */
  pushedRunId: string | null
  report: FleetReport
  seenAt: string
  /** seen within the last STATION_OFFLINE_AFTER_MS */
  online: boolean
}

/** A station that has not reported for this long is shown offline. */
export const STATION_OFFLINE_AFTER_MS = 10_000
