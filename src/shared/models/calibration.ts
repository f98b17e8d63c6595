// Calibrated thresholds as a model stores them: which good images set them, and what false-reject rate they promise.

/** One threshold from the finite-sample (conformal) rule on calibration scores. */
export interface CalibratedLevel {
  /** false-reject target asked for */
  target: number
  /** the threshold: a part is flagged when score >= value */
  value: number
  /** which order statistic set it: ceil((n + 1)(1 - target)), capped at n */
  k: number
  /** the promised false-reject rate for new good parts, (n + 1 - k) / (n + 1) (<= target when supportable) */
  bound: number
  /** false if the target is below what n calibration images can promise (then the bound is 1 / (n + 1)) */
  supportable: boolean
  /** share of the calibration images at or above the threshold */
  observed: number
  /** 95 % Clopper-Pearson interval of the observed rate */
  interval: [number, number]
}

/** The calibration behind a model's pass / review / fail thresholds. */
export interface Calibration {
  /** calibration images (good parts the model never trained on) */
  images: number
  /** the smallest false-reject rate these images can promise: 1 / (n + 1) */
  floor: number
  fail: CalibratedLevel
  review: CalibratedLevel
  /** e.g. "42 held-out good training images" */
  source: string
  /** the label-free fail level from the calibration tail (an estimate); absent in models calibrated before it existed */
  tail?: TailLevel
}

/**
 * Where an exponential model of the calibration scores' upper tail (fitted on logits) puts `exceedance` of good
 * parts above it. An extrapolation, so an estimate and never a bound: the band sends parts between the
 * calibration level and this one to review, and fails only parts above it.
 */
export interface TailLevel {
  /** the modelled share of good parts above the level, e.g. 0.001 */
  exceedance: number
  /** the level as a score (probability) and as a logit */
  value: number
  logit: number
  /** exponential scale (logits) and the tail it was fitted on: the top `tailImages` scores above `threshold` (a logit) */
  scale: number
  tailImages: number
  threshold: number
  /** always true: a model, not a finite-sample promise */
  estimate: true
}

/** A revision as lists show it: the image list replaced by its length. */
export type CalibrationRevisionInfo = Omit<CalibrationRevision, 'images'> & { images: number }

/** What a recalibration did: the new (active) revision and the images it refused, with why. */
export interface RecalibrationResult {
  revision: CalibrationRevisionInfo
  refused: { path: string; reason: string }[]
}

/** A stored set of thresholds: the first comes from training, later ones from recalibration. */
export interface CalibrationRevision {
  id: number
  createdAt: string
  /** who recalibrated (the OS user, PBAS_REVIEWER, or 'training') */
  by: string
  calibration: Calibration
  /** the calibration images and their scores (so a revision can be checked and audited) */
  images: { path: string; score: number }[]
}
