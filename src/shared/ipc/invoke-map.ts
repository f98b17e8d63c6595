// The renderer -> main IPC contract: every invoke channel, its argument and its result, declared once.

/** Engine facts the app shows in its status bar. */
export interface EngineInfo {
  /** true in the Electron app (native folder dialog available), false in browser mode */
  desktop: boolean
  engineVersion: string
  backend: string
  gpu: boolean
  /** the device that computes: a GPU's name, or 'CPU' */
  device: string
  backendReason: string
  /** the faster backends that were skipped, each with why */
  skippedBackends: string[]
}

/**
 * Errors cross IPC as plain objects so the renderer can show them by code (never "Error invoking remote
 * method"): invalid-argument (a malformed request), invalid-input / not-found (what the user chose is unusable
 * or missing), cancelled, engine (a failure of ours).
 */
export type IpcError = import('../models/job').JobError

/** Result envelope of every invoke channel. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }

type Product = import('../models/workspace').Product
type DatasetRecord = import('../models/workspace').DatasetRecord
type RunRecord = import('../models/workspace').RunRecord
type RunEpoch = import('../models/workspace').RunEpoch
type BackboneOption = import('../models/workspace').BackboneOption

/** Arguments come from their schemas (invoke-args.ts), so the types and the run-time checks are one declaration. */
type A = import('./invoke-args').InvokeArgs

/** channel -> [argument, result]. Channel names are `domain:verb`. */
export interface InvokeMap {
  'app:info': [void, EngineInfo]
  'products:list': [void, Product[]]
  /** one product at a glance for the products home */
  'products:status': [A['products:status'], import('../models/workspace').ProductStatus]
  'products:create': [A['products:create'], Product]
  'products:rename': [A['products:rename'], Product]
  'products:set-region': [A['products:set-region'], Product]
  'datasets:reference-photo': [A['datasets:reference-photo'], { path: string; photo: import('../models/review').ReviewPhoto; width: number; height: number }]
  'products:delete': [A['products:delete'], null]
  'datasets:list': [A['datasets:list'], DatasetRecord[]]
  'runs:list': [A['runs:list'], RunRecord[]]
  /** `name` (default: from the settings, see runDefaultName), `note` and the duration estimate the form showed are saved with the run */
  'runs:start': [A['runs:start'], RunRecord]
  /** renames a run (empty: back to the default name) and/or replaces its note */
  'runs:describe': [A['runs:describe'], RunRecord]
  /** measured costs of a run at these settings on this machine: cached, or a job whose result they are */
  'runs:estimate': [A['runs:estimate'], import('../pbas/estimate').EstimateReply]
  'runs:cancel': [A['runs:cancel'], boolean]
  /** continues from the last checkpoint; with restart, discards it and trains the same run from the start */
  'runs:resume': [A['runs:resume'], RunRecord]
  'runs:epochs': [A['runs:epochs'], RunEpoch[]]
  'datasets:thumbnails': [A['datasets:thumbnails'], { defectType: string; split: string; path: string; url: string }[]]
  /** starts a cancellable check of a folder; its summary arrives as the job's result (jobs:event) */
  'datasets:check-start': [A['datasets:check-start'], { jobId: string }]
  /** saves a finished check's data set to a product (nothing is saved before this) */
  'datasets:save': [A['datasets:save'], DatasetRecord]
  'jobs:cancel': [A['jobs:cancel'], boolean]
  'dialog:open-folder': [void, string | null]
  'backbones:list': [void, BackboneOption[]]
  'backbones:import': [A['backbones:import'], BackboneOption]
  'backbones:fetch': [A['backbones:fetch'], { jobId: string }]
  'evaluations:list': [A['evaluations:list'], EvaluationRecord[]]
  /** evaluates a finished run's model on a folder (default: its data set's test split); progress as jobs:event */
  'evaluations:start': [A['evaluations:start'], { evaluation: EvaluationRecord; jobId: string }]
  'evaluations:cancel': [A['evaluations:cancel'], boolean]
  /** review.json with the workspace's per-image scores (worst first) */
  'evaluations:review': [A['evaluations:review'], ReviewData]
  /** grid thumbnails (JPEG data URLs) of some images, fetched as the grid shows them */
  'evaluations:thumbs': [A['evaluations:thumbs'], Record<number, string>]
  'evaluations:image': [A['evaluations:image'], import('../models/review').ReviewImage]
  'evaluations:set-threshold': [A['evaluations:set-threshold'], EvaluationRecord]
  'verdicts:list': [A['verdicts:list'], Verdict[]]
  /** null clears the verdict; the reviewer is the signed-in user */
  'verdicts:set': [A['verdicts:set'], Verdict | null]
  /** adds images confirmed good to the product's training set for its next runs; unreadable and test-split images are refused, with why */
  'training:add-good': [A['training:add-good'], { added: number; total: number; refused: { path: string; reason: string }[] }]
  /** the images reviewers added to a product's training set */
  'training:list': [A['training:list'], { path: string; addedBy: string; addedAt: string }[]]
  /** takes images out of a product's training set (for its next runs) */
  'training:remove-good': [A['training:remove-good'], { removed: number; total: number }]
  /** starts a PCA feature plot; the plot arrives as the job's result */
  'plots:start': [A['plots:start'], { jobId: string }]
  /** L2 distance between batch means and the centre over Algorithm 1's batches (Fig. 11) */
  'plots:centre': [A['plots:centre'], { distances: number[]; rule: string }]
  /** the model's calibration revisions and the thresholds it decides with now */
  'calibrations:list': [A['calibrations:list'], ModelCalibrations]
  /** recalibrates the run's model without retraining, from parts confirmed good in a folder evaluation or a folder of good parts; a job */
  'calibrations:start': [A['calibrations:start'], { jobId: string }]
  /** makes an earlier revision the one the model decides with */
  'calibrations:select': [A['calibrations:select'], ModelCalibrations]
  /** writes the run's report (HTML, PDF, CSV) for an evaluation into the workspace's reports folder */
  'reports:export': [A['reports:export'], ReportFiles]
  /** the run's past reports in the workspace's reports folder, newest first */
  'reports:list': [A['reports:list'], PastReport[]]
  /** one report file (HTML, PDF or CSV of the reports folder), to open or save from the app */
  'reports:read': [A['reports:read'], ReportFile]
  /** opens a report file in the OS's viewer (desktop app); { opened: false } in browser mode */
  'reports:open': [A['reports:open'], { opened: boolean }]
  /** exports a finished run's model as ONNX (model.onnx, model.json, README.md) into `dir` (default: the workspace's exports folder); the files arrive as the job's result */
  'runs:export': [A['runs:export'], { jobId: string; dir: string }]
  /** starts an inspection station on a folder with a finished run's model; its figures and parts arrive as stations:event */
  'stations:start': [A['stations:start'], StationStatus]
  'stations:pause': [A['stations:pause'], StationStatus]
  'stations:resume': [A['stations:resume'], StationStatus]
  'stations:stop': [A['stations:stop'], StationStatus]
  /** commissioning: recalibrates on the parts reviewers confirmed good, as proposed; the station restarts with the new revision */
  'stations:recalibrate': [A['stations:recalibrate'], StationStatus]
  /** the current (or last) station, or null */
  'stations:status': [void, StationStatus | null]
  /** the stations writing to this workspace (pbas watch --workspace, on any machine), with what each last reported */
  'fleet:list': [void, FleetStation[]]
  /** pushes a finished run's model to a station: it takes it between parts and reports the switch */
  'fleet:push': [A['fleet:push'], FleetStation]
}

type FleetStation = import('../models/fleet').FleetStation

type StationStatus = import('../models/station').StationStatus

type EvaluationRecord = import('../models/review').EvaluationRecord

/** A model's calibration revisions and the thresholds of the active one. */
export interface ModelCalibrations {
  active: number | null
  revisions: import('../models/calibration').CalibrationRevisionInfo[]
  band: { review: number; fail: number }
  source: string
  calibration: import('../models/calibration').Calibration | null
}
type Verdict = import('../models/review').Verdict

/** An evaluation ready to review: review.json's facts with the workspace's scores. */
export type ReviewData = import('../models/review').ReviewSummary

/** A report written earlier for a run: its files and when. */
export interface PastReport {
  name: string
  /** first 8 characters of the evaluation's id */
  evaluation: string
  writtenAt: string
  html: string
  pdf: string | null
  csv: string | null
}

/** A report file's bytes for the renderer to open or save. */
export interface ReportFile {
  name: string
  type: string
  base64: string
}

/** Files a report export wrote, and the HTML itself so browser mode can offer a download. */
export interface ReportFiles {
  html: string
  pdf: string | null
  csv: string
  /** why there is no PDF, when there is none */
  pdfError?: string
}

export type InvokeChannel = keyof InvokeMap
export type InvokeArg<C extends InvokeChannel> = InvokeMap[C][0]
export type InvokeReturn<C extends InvokeChannel> = InvokeMap[C][1]

// The runtime list of channels; `satisfies` makes the compiler hold it to InvokeMap exactly (none missing, none extra).
const CHANNELS = {
  'app:info': true, 'products:list': true, 'products:status': true, 'products:create': true, 'products:rename': true, 'products:set-region': true, 'products:delete': true, 'datasets:list': true,
  'runs:list': true, 'runs:start': true, 'runs:describe': true, 'runs:estimate': true, 'runs:cancel': true, 'runs:resume': true, 'runs:epochs': true, 'backbones:list': true, 'backbones:import': true,
  'backbones:fetch': true, 'datasets:thumbnails': true, 'datasets:reference-photo': true, 'datasets:check-start': true, 'datasets:save': true, 'jobs:cancel': true, 'dialog:open-folder': true,
  'evaluations:list': true, 'evaluations:start': true, 'evaluations:cancel': true, 'evaluations:review': true, 'evaluations:thumbs': true, 'evaluations:image': true,
  'evaluations:set-threshold': true, 'verdicts:list': true, 'verdicts:set': true, 'training:add-good': true, 'training:list': true, 'training:remove-good': true, 'plots:start': true, 'plots:centre': true, 'reports:export': true, 'reports:list': true, 'reports:read': true, 'reports:open': true,
  'calibrations:list': true, 'calibrations:start': true, 'calibrations:select': true,
  'runs:export': true, 'stations:start': true, 'stations:pause': true, 'stations:resume': true, 'stations:stop': true, 'stations:status': true, 'stations:recalibrate': true,
  'fleet:list': true, 'fleet:push': true,
} satisfies Record<InvokeChannel, true>

/** True for a declared channel name (own keys only, so 'constructor' or '__proto__' never pass). */
export function isInvokeChannel(name: string): name is InvokeChannel {
  return Object.hasOwn(CHANNELS, name)
}

/** Every channel, for the preload's allow-list and the handler registry's completeness check. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = Object.keys(CHANNELS).filter(isInvokeChannel)

/** What the preload exposes on window.pbas. */
export interface PbasApi {
  invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<IpcResult<InvokeReturn<C>>>
  /** The file-system path of a file or folder dropped on the window (desktop app only). */
  pathForFile?(file: File): string
  /** Subscribes to a main -> renderer event channel; returns the unsubscribe function. */
  on<E extends import('./event-map').EventChannel>(channel: E, listener: (payload: import('./event-map').EventMap[E]) => void): () => void
}
