// The renderer -> main IPC contract: every invoke channel, its argument and its result, declared once.

/** Engine facts the app shows in its status bar. */
export interface EngineInfo {
  /** true in the Electron app (native folder dialog available), false in browser mode */
  desktop: boolean
  engineVersion: string
  backend: string
  gpu: boolean
  backendReason: string
}

/** Errors cross IPC as plain objects so the renderer can show them (never "Error invoking remote method"). */
export interface IpcError {
  code: 'invalid-argument' | 'not-found' | 'failed' | 'cancelled'
  message: string
}

/** Result envelope of every invoke channel. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }

type Product = import('../models/workspace').Product
type DatasetRecord = import('../models/workspace').DatasetRecord
type RunRecord = import('../models/workspace').RunRecord
type RunEpoch = import('../models/workspace').RunEpoch
type BackboneOption = import('../models/workspace').BackboneOption

/** channel -> [argument, result]. Channel names are `domain:verb`. */
export interface InvokeMap {
  'app:info': [void, EngineInfo]
  'dataset:check': [{ dir: string; category?: string }, import('../models/dataset-summary').DatasetSummary]
  'products:list': [void, Product[]]
  'products:create': [{ name: string }, Product]
  'products:rename': [{ id: string; name: string }, Product]
  'products:delete': [{ id: string }, null]
  'datasets:import': [{ productId: string; dir: string; category?: string }, DatasetRecord]
  'datasets:list': [{ productId: string }, DatasetRecord[]]
  'runs:list': [{ productId: string }, RunRecord[]]
  /** `name` (default: from the settings, see runDefaultName), `note` and the duration estimate the form showed are saved with the run */
  'runs:start': [{ productId: string; datasetId: string; preset: string; overrides?: Record<string, string | number | boolean | string[] | null>; name?: string; note?: string; estimateSeconds?: number }, RunRecord]
  /** renames a run (empty: back to the default name) and/or replaces its note */
  'runs:describe': [{ runId: string; name?: string; note?: string }, RunRecord]
  /** measured costs of a run at these settings on this machine: cached, or a job whose result they are */
  'runs:estimate': [{ datasetId: string; preset: string; overrides?: Record<string, string | number | boolean | string[] | null>; refresh?: boolean }, import('../pbas/estimate').EstimateReply]
  'runs:cancel': [{ runId: string }, boolean]
  'runs:resume': [{ runId: string }, RunRecord]
  'runs:epochs': [{ runId: string }, RunEpoch[]]
  'datasets:thumbnails': [{ dir: string; category?: string; perType?: number }, { defectType: string; split: string; path: string; url: string }[]]
  /** starts a cancellable check of a folder; its summary arrives as the job's result (jobs:event) */
  'datasets:check-start': [{ dir: string; category?: string }, { jobId: string }]
  /** saves a finished check's data set to a product (nothing is saved before this) */
  'datasets:save': [{ productId: string; jobId: string; copy?: boolean }, DatasetRecord]
  'jobs:cancel': [{ jobId: string }, boolean]
  'dialog:open-folder': [void, string | null]
  'backbones:list': [void, BackboneOption[]]
  'backbones:import': [{ path: string; arch?: string }, BackboneOption]
  'backbones:fetch': [{ arch: string }, { jobId: string }]
  'evaluations:list': [{ runId: string }, EvaluationRecord[]]
  /** evaluates a finished run's model on a folder (default: its data set's test split); progress as jobs:event */
  'evaluations:start': [{ runId: string; dir?: string; category?: string }, { evaluation: EvaluationRecord; jobId: string }]
  'evaluations:cancel': [{ evaluationId: string }, boolean]
  /** review.json with the workspace's per-image scores (worst first) */
  'evaluations:review': [{ evaluationId: string }, ReviewData]
  /** grid thumbnails (JPEG data URLs) of some images, fetched as the grid shows them */
  'evaluations:thumbs': [{ evaluationId: string; indices: number[]; overlay?: import('../review/overlay').OverlayLevels }, Record<number, string>]
  'evaluations:image': [{ evaluationId: string; index: number }, import('../models/review').ReviewImage]
  'evaluations:set-threshold': [{ evaluationId: string; threshold: import('../models/review').ChosenThreshold }, EvaluationRecord]
  'verdicts:list': [{ runId: string }, Verdict[]]
  /** null clears the verdict; the reviewer is the signed-in user */
  'verdicts:set': [{ runId: string; imagePath: string; verdict: import('../models/review').VerdictValue | null }, Verdict | null]
  /** adds images confirmed good to the product's training set for its next runs */
  'training:add-good': [{ productId: string; paths: string[] }, { added: number; total: number }]
  /** starts a PCA feature plot; the plot arrives as the job's result */
  'plots:start': [{ runId: string; stage: 'initial' | 'checkpoint' | 'final' }, { jobId: string }]
  /** L2 distance between batch means and the centre over Algorithm 1's batches (Fig. 11) */
  'plots:centre': [{ runId: string }, { distances: number[]; rule: string }]
  /** writes the run's report (HTML, PDF, CSV) for an evaluation into the workspace's reports folder */
  'reports:export': [{ evaluationId: string; pdf?: boolean; overlay?: import('../review/overlay').OverlayChoice }, ReportFiles]
}

type EvaluationRecord = import('../models/review').EvaluationRecord
type Verdict = import('../models/review').Verdict

/** An evaluation ready to review: review.json's facts with the workspace's scores. */
export type ReviewData = import('../models/review').ReviewSummary

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

/** Every channel, for the preload's allow-list and the handler registry's completeness check. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'app:info', 'dataset:check', 'products:list', 'products:create', 'products:rename', 'products:delete', 'datasets:import', 'datasets:list',
  'runs:list', 'runs:start', 'runs:describe', 'runs:estimate', 'runs:cancel', 'runs:resume', 'runs:epochs', 'backbones:list', 'backbones:import', 'backbones:fetch',
  'datasets:thumbnails', 'datasets:check-start', 'datasets:save', 'jobs:cancel', 'dialog:open-folder',
  'evaluations:list', 'evaluations:start', 'evaluations:cancel', 'evaluations:review', 'evaluations:thumbs', 'evaluations:image', 'evaluations:set-threshold',
  'verdicts:list', 'verdicts:set', 'training:add-good', 'plots:start', 'plots:centre', 'reports:export',
]

/** What the preload exposes on window.pbas. */
export interface PbasApi {
  invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<IpcResult<InvokeReturn<C>>>
  /** The file-system path of a file or folder dropped on the window (desktop app only). */
  pathForFile?(file: File): string
  /** Subscribes to a main -> renderer event channel; returns the unsubscribe function. */
  on<E extends import('./event-map').EventChannel>(channel: E, listener: (payload: import('./event-map').EventMap[E]) => void): () => void
}
