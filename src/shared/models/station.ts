// Inspection stations as the app sees them: status, counters, the latest parts and the events they send.

/** Passed parts of a session needed before the line is compared with the calibration images. */
export const DRIFT_MIN_PASSED = 20
/** The comparison uses the most recent passed parts, so it follows the line as it is now. */
export const DRIFT_WINDOW = 200

/** Live figures of a station: totals since its results log began, speed and latency of the running session. */
export interface StationCounters {
  pass: number
  review: number
  fail: number
  unreadable: number
  /** parts scored since this start */
  session: number
  /** files found complete but not scored yet, and when they will be at the current speed */
  waiting: number
  etaSeconds: number | null
  /** parts per second over the last 10 s (or since the first part, if later) */
  imagesPerSecond: number
  /** file complete -> verdict recorded, over the last 500 parts of this session; null before the first */
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  /**
   * The session's last DRIFT_WINDOW passed parts against the model's calibration images (one-sided Mann-Whitney);
   * null before DRIFT_MIN_PASSED passed parts or when the thresholds promise no bound. `shifted`: the false-reject bound may not hold.
   */
  drift: import('../calibration/conformal').DriftCheck | null
}

/** One scored part for the live strip. `file`: relative to the watched folder; `thumb`: overlay JPEG data URL. */
export interface StationPart {
  file: string
  sortedTo?: string
  verdict: 'pass' | 'review' | 'fail'
  score: number
  latencyMs: number
  scoredAt: string
  thumb?: string
  /** index in the review queue (review-band and failed parts only) */
  queueIndex?: number
}

/** Lifecycle: running (or starting), paused (files wait in the folder), stopped, failed. */
export type StationState = 'starting' | 'running' | 'pausing' | 'paused' | 'stopping' | 'stopped' | 'failed'

/** A station's snapshot. */
export interface StationStatus {
  id: string
  /** grows with every change, so a reply that arrives after a newer event can be told apart and dropped */
  version: number
  runId: string
  /** the run's product, so the app can link to the station screen without loading the run first */
  productId: string
  dir: string
  sort: boolean
  /** where the station publishes its verdicts (MQTT, OPC UA), if anywhere */
  line?: import('./line-messages').LineChoice
  state: StationState
  /** the review queue: a folder evaluation of the run that grows while the station runs */
  evaluationId: string
  log: string
  csv: string
  counters: StationCounters | null
  /** newest first, at most 12 */
  recent: StationPart[]
  /** unreadable files of this station, newest first (at most 20) */
  unreadable: { file: string; reason: string }[]
  startedAt: string
  error?: string
  /** where commissioning stands for this station's model (null for stations started before it existed) */
  commissioning?: CommissioningState | null
}

/** Pushed on 'stations:event'. */
export type StationEvent =
  | { type: 'status'; station: StationStatus }
  | { type: 'counters'; stationId: string; counters: StationCounters }
  | { type: 'part'; stationId: string; part: StationPart; queued: boolean }

/** One scored part in the results log. `file` is relative to the watched folder; `sortedTo` too, when --sort moved it. */
export interface PartRecord {
  type: 'part'
  file: string
  size: number
  mtimeMs: number
  ino: number
  score: number
  verdict: 'pass' | 'review' | 'fail'
  /** when the file was found complete, and when its verdict was recorded (ISO times) */
  completedAt: string
  scoredAt: string
  /** complete -> verdict */
  latencyMs: number
  sortedTo?: string
  heatmap?: string
}

/** A file that could not be decoded; the station goes on. */
export interface UnreadableRecord {
  type: 'unreadable'
  file: string
  size: number
  mtimeMs: number
  reason: string
  at: string
}

/** What the app attaches to a scored part: its live-strip thumbnail and, for queued parts, their review item. */
export interface StationPartExtra {
  thumb?: string
  item?: import('./review').ReviewItem
}

/** Progress of a station job: its start, each part, each unreadable file, and the counters. */
export type StationProgress =
  | { kind: 'station'; dir: string; log: string; csv: string; sort: boolean; alreadyHandled: number }
  | { kind: 'part'; part: PartRecord; extra?: StationPartExtra }
  | { kind: 'unreadable'; record: UnreadableRecord }
  | { kind: 'counters'; counters: StationCounters }
  /** a pushed model took over between parts (the results log records it as a new session) */
  | { kind: 'model'; modelDir: string; band: { review: number; fail: number } }

/** How a station ended (it ends when its signal aborts). */
export interface StationSummary {
  counters: StationCounters
  log: string
  csv: string
}

/**
 * Reviewer-confirmed good parts a commissioning station waits for before it proposes recalibration. With 10,
 * the order statistic promises 1 / (10 + 1) = 9.1 % (the first bound under 10 %), and 10 parts that all score
 * above a 41-image hold-out already make the drift check fire (Mann-Whitney p ~ 1e-6), so the proposal can
 * tell a moved line from a calibrated one; more parts tighten the bound but keep the line in review longer.
 */
export const DEFAULT_COMMISSION_K = 10

/**
 * Where a station stands in commissioning: a new model (or one whose line drifted) sends its uncertain parts to
 * review; after `k` parts confirmed good it proposes recalibration on them; it leaves commissioning once `k`
 * known-good parts since the last calibration no longer score higher than the calibration images.
 */
export interface CommissioningState {
  active: boolean
  /** while commissioning, parts that would pass but score at or above this (the median calibration score) go to review */
  reviewFrom: number | null
  k: number
  /** parts a reviewer confirmed good since the last (re)calibration */
  confirmed: number
  /** parts a reviewer confirmed defective */
  defects: number
  /** review-band and failed parts still waiting for a reviewer's answer */
  waiting: number
  /** recalibration on the confirmed parts, once there are k of them; replace: without the training hold-out (the line has moved from it) */
  proposal: { images: number; replace: boolean; reason: string } | null
  /** the model's active calibration revision, and how many revisions commissioning recorded */
  revision: number | null
  recalibrations: number
  /** known-good parts since the last calibration (passed and confirmed) against its images; null before k of them */
  drift: import('../calibration/conformal').DriftCheck | null
  /** one sentence for the station screen and `pbas watch` */
  message: string
}
