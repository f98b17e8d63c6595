// Workspace records as the renderer sees them (plain objects).

/** A product: one kind of part, with its own data sets, runs and models. */
export interface Product {
  id: string
  name: string
  createdAt: string
  /** the region to inspect and areas to ignore, drawn on one of its photos (absent: the whole photo) */
  region?: import('../image/region').InspectionRegion
}

/** A product at a glance (the products home): its model's state and quality, parts waiting for review, a picture. */
export interface ProductStatus {
  productId: string
  state: 'no-model' | 'training' | 'ready' | 'drifting'
  /** the newest finished run, whose model the station would use */
  run: { id: string; name: string } | null
  /** that model on its test split, at its own threshold (rates in [0, 1]); null without a labelled evaluation */
  quality: { falseReject: number | null; defectRecall: number | null; bound: number | null; goodParts: number; defectParts: number } | null
  /** parts of folder evaluations and station queues in the review band or failed, with no verdict yet */
  waiting: number
  /** a small JPEG data URL of one of its parts */
  thumbnail: string | null
}

/** A data set imported for a product (images are referenced, not copied). */
export interface DatasetRecord {
  id: string
  productId: string
  root: string
  category?: string
  layout: string
  importedAt: string
  summary: import('./dataset-summary').DatasetSummary
}

/** A training run of a product on one of its data sets. */
export interface RunRecord {
  id: string
  productId: string
  datasetId: string | null
  state: import('./job').JobState
  /** the resolved configuration the run trains with (resolved once, when it was created) */
  config: import('./pbas-config').PbasConfig
  modelDir: string
  createdAt: string
  startedAt?: string
  finishedAt?: string
  error?: string
  /** evaluation metrics when the run evaluated its model */
  metrics?: Partial<import('./review').ReviewMetrics>
  /** the name a person gave it (absent: the app shows the default from its settings, see runDefaultName) */
  name?: string
  /** free text: why this run, what changed */
  note?: string
  /** the duration estimate shown when it was started, in seconds */
  estimateSeconds?: number
  /** the product's region to inspect when the run was created (absent: the whole photo) */
  region?: import('../image/region').InspectionRegion
}

/** One epoch's mean figures of a run (the live and historical curves). */
export interface RunEpoch {
  epoch: number
  means: import('./progress').StepStats
  validation: number | null
  seconds: number
}

/** Pushed to the renderer while runs change: throttled progress and every state change. */
export type RunEvent =
  | { type: 'progress'; runId: string; progress: import('./progress').TrainRunProgress }
  | { type: 'state'; runId: string; run: RunRecord }

/** A backbone the training form can pick: torchvision architectures with or without weights on this machine. */
export interface BackboneOption {
  arch: import('./pbas-config').BackboneArch
  /** the user's store holds weights for it (fetched or imported) */
  stored: boolean
  /** weights for it ship with the app (ResNet18), so it works with no setup */
  builtIn: boolean
  /** the weights a new run uses: the stored file if there is one (it takes precedence), else the built-in one */
  file?: string
  sha256?: string
  layers?: number
  /** where `fetch` downloads it from */
  url: string
}
