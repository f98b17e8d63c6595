// A run's duration, disk and memory before it starts, from costs measured on this machine; refined from its own epochs.
import { featureFileBytes } from './feature-file'
import { holdOutPlan } from '../calibration/hold-out'
import { DEFAULT_CONFIG, type PbasConfig } from './parameters'
import { expectedEpochs } from './stop-rule'

/** Costs measured by the engine's run-cost job at a run's settings (random data, real code paths). */
export interface RunCostMeasure {
  /** loading the backbone weights (once for training, once for the test-split review) */
  backboneLoadSeconds: number
  /** decoding, preprocessing and E_φ features of one image, batched as training batches them */
  featureSecondsPerImage: number
  /** one training step on a full batch */
  stepSeconds: number
  /** one centre-initialisation projection of a full batch (Algorithm 1) */
  projectSeconds: number
  /** scoring one image's cached features with the head (the thresholds pass) */
  headSecondsPerImage: number
  /** scoring one image as a review does (features, head, heat map) */
  predictSecondsPerImage: number
  /** writing one image's review files (image, map, thumbnail) */
  writeSecondsPerImage: number
  /** decoding and preprocessing one image (the nearest-good pool of a review) */
  loadSecondsPerImage: number
  /** bytes of one review image's files */
  reviewBytesPerImage: number
  /** patches per image (P) and feature width (D) at these settings */
  patches: number
  dim: number
  /** bytes of the trained parameters plus the centre (the model file) */
  modelBytes: number
  /** bytes of a checkpoint (parameters, centre and the two optimisers' moments) */
  checkpointBytes: number
  /** resident memory the backbone, the step and the review model added while measured */
  workingBytes: number
  runtime: { features: string; training: string }
  measuredAt: string
}

/** What a run will work on. */
export interface RunWorkload {
  /** good training images (reviewer additions included), before the hold-out */
  goodImages: number
  /** test-split images reviewed after training (0 when the data set has none) */
  testImages: number
  /** the epoch budget (with the converged rule, its ceiling) */
  epochs: number
  batchSize: number
  validationShare: number
  /** the stop rule (default: every epoch of the budget) */
  rule?: Pick<PbasConfig, 'stopRule' | 'minEpochs' | 'stopWindow' | 'stopTolerance'>
  /** share of each image's patches a step trains on (default 1) */
  patchShare?: number
  /** the calibration hold-out (defaults: the engine's) */
  calibrationShare?: number
  minCalibrationImages?: number
}

/** A run's estimate, with its parts, in seconds and bytes. */
export interface RunEstimate {
  seconds: number
  /** epochs planned for: the budget, or the converged rule's typical stop within it */
  epochs: number
  parts: { features: number; centre: number; training: number; thresholds: number; review: number }
  diskBytes: number
  memoryBytes: number
}

/** Seconds a run should take, and the disk and memory it needs, from measured costs. */
export function estimateRun(m: RunCostMeasure, w: RunWorkload): RunEstimate {
  // The same hold-out the training pipeline takes: calibration (and, with a validation share, epoch selection).
  const held = holdOutPlan(w.goodImages, {
    validationShare: w.validationShare, calibrationShare: w.calibrationShare ?? DEFAULT_CONFIG.calibrationShare,
    minCalibrationImages: w.minCalibrationImages ?? DEFAULT_CONFIG.minCalibrationImages, targetFalseReject: DEFAULT_CONFIG.targetFalseReject,
  }).holdOut
  const train = w.goodImages - held
  const batches = Math.ceil(train / w.batchSize)
  const converged = w.rule?.stopRule === 'converged'
  const epochs = converged ? expectedEpochs({ ...w.rule!, epochs: w.epochs }) : w.epochs
  // A step's time is its matrix products, which scale with the rows it trains on; the converged rule also
  // scores the watched good images after every epoch.
  const perEpoch = m.stepSeconds * (w.patchShare ?? 1) * batches + (converged ? m.headSecondsPerImage * (held || train) : 0)
  const parts = {
    features: m.backboneLoadSeconds + m.featureSecondsPerImage * w.goodImages,
    centre: m.projectSeconds * batches,
    training: perEpoch * epochs,
    thresholds: m.headSecondsPerImage * (held || train),
    // The nearest-good pool is stored at training time, so the review decodes only the test images.
    review: w.testImages ? w.testImages * (m.predictSecondsPerImage + m.writeSecondsPerImage) : 0,
  }
  const perImage = m.patches * m.dim * 4
  return {
    seconds: Object.values(parts).reduce((a, b) => a + b, 0),
    epochs,
    parts,
    // Model + checkpoint and the feature cache (both removed when the run succeeds, but present until then)
    // + the test split's review folder.
    diskBytes: m.modelBytes + m.checkpointBytes + w.goodImages * featureFileBytes(m.patches * m.dim) + w.testImages * m.reviewBytesPerImage,
    // Features stream from the disk cache through two batch buffers: memory does not grow with the data set.
    memoryBytes: 2 * w.batchSize * perImage + m.workingBytes,
  }
}

/** The workload of a run at these settings (the form's values or a run's stored configuration). */
export function workloadOf(cfg: Record<string, unknown>, data: { goodImages: number; testImages: number }): RunWorkload {
  const n = (k: keyof PbasConfig) => Number(cfg[k] ?? DEFAULT_CONFIG[k])
  return {
    ...data, epochs: n('epochs'), batchSize: n('batchSize'), validationShare: n('validationShare'), calibrationShare: n('calibrationShare'), minCalibrationImages: n('minCalibrationImages'),
    rule: { stopRule: cfg.stopRule === 'converged' ? 'converged' : 'budget', minEpochs: n('minEpochs'), stopWindow: n('stopWindow'), stopTolerance: n('stopTolerance') },
    patchShare: n('patchShare'),
  }
}

/**
 * Seconds left of a running run, once epochs have been timed: the training part follows the run's own epoch
 * times (mean of the last three), the parts after training keep their measured estimate. With the converged
 * rule, `epochs` is what the rule is expected to run (expectedEpochs), not the ceiling.
 */
export function remainingSeconds(e: Pick<RunEstimate, 'parts'>, progress: { epochsDone: number; epochs: number; recentEpochSeconds: number[]; stepInEpoch?: number; stepsPerEpoch?: number }): number | null {
  const recent = progress.recentEpochSeconds.slice(-3)
  if (!recent.length) return null
  const perEpoch = recent.reduce((a, b) => a + b, 0) / recent.length
  const partial = progress.stepsPerEpoch ? (progress.stepInEpoch ?? 0) / progress.stepsPerEpoch : 0
  const epochsLeft = Math.max(0, progress.epochs - progress.epochsDone - partial)
  return epochsLeft * perEpoch + e.parts.thresholds + e.parts.review
}

/** Bytes as "830 MB" / "1.4 GB". */
export function bytesText(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${Math.round(n / 1e6)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`
}

/** Which settings change the measured costs (everything else, e.g. epochs or learning rates, does not). */
export const COST_KEYS = ['backbone', 'taps', 'imageSize', 'resize', 'fit', 'patchSize', 'pretrainDim', 'targetDim', 'synthesis', 'scoring', 'discHidden', 'batchSize', 'centreInit'] as const

/** The answer to 'runs:estimate': a measurement at hand, or the job measuring (its result is the measurement). */
export type EstimateReply = { measure: RunCostMeasure; jobId: null } | { measure: null; jobId: string }
