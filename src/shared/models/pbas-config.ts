// The PBAS training configuration as a plain object (every field; defaults and validation live in engine/pbas/config.ts).

/** How a non-square image becomes the square network input. */
export type Fit = 'crop' | 'pad' | 'stretch'

/** Centre initialisation (Algorithm 1 with either nearest rule, or the Table VI ablations). */
export type CentreInit = 'abl-cosine' | 'abl-euclidean' | 'average' | 'iterative' | 'kmeans'

/** Anomaly feature synthesis: PBAS' AFS (Eq. 7) or SimpleNet-style Gaussian noise (ablation). */
export type Synthesis = 'afs' | 'gaussian'

/** Patch scoring: the discriminator (PBAS) or distance to the nearest centre (Table V, ABL only). */
export type Scoring = 'discriminator' | 'abl-only'

/** A resolved configuration: what a run stores and what the engine trains with. */
export interface PbasConfig {
  backbone: string
  taps: string[] | null
  imageSize: number
  resize: number
  fit: Fit
  patchSize: number
  pretrainDim: number
  targetDim: number
  centreInit: CentreInit
  /** EMA factor of Algorithm 1 */
  beta: number
  synthesis: Synthesis
  /** AFS step alpha (official scripts 0.25; the paper's text says 0.3) */
  alpha: number
  /** std of the Gaussian ablation */
  noiseStd: number
  scoring: Scoring
  discHidden: number
  lrProjector: number
  weightDecayProjector: number
  lrDiscriminator: number
  weightDecayDiscriminator: number
  batchSize: number
  epochs: number
  seed: number
  /** share of good training images held out for model selection (0 = final epoch is the model) */
  validationShare: number
  checkpointEvery: number
  /** Gaussian smoothing of pixel maps (Eq. 12) */
  smoothSigma: number
  /** false-reject target on good images for the default (fail) threshold */
  targetFalseReject: number
  /** share of good images held out (never trained on) to calibrate the thresholds; 0 = calibrate on training images (no bound) */
  calibrationShare: number
  /** hold out at least this many good images for calibration (but never more than a quarter of them) */
  minCalibrationImages: number
}

/** torchvision architectures the engine builds. */
export type BackboneArch = 'resnet18' | 'resnet50' | 'wide_resnet50_2'

/** One stored weight file of the user's weight store. */
export interface StoredWeights {
  arch: BackboneArch
  file: string
  sha256: string
  source: string
  /** deepest layer present (1..4); files cut after layer3 are enough for PBAS' default taps */
  layers: number
  storedAt: string
}
