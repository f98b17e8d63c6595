// Workspace records as the renderer sees them (plain objects).

/** A product: one kind of part, with its own data sets, runs and models. */
export interface Product {
  id: string
  name: string
  createdAt: string
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
  metrics?: import('./review').ReviewMetrics
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
  arch: string
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
