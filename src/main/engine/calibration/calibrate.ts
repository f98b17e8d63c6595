// Thresholds from good images' scores: the finite-sample rule on calibration images, or (no hold-out) training images.
import type { Calibration } from '../../../shared/models/calibration'
import type { ModelMeta } from '../model/model-file'
import type { PbasConfig } from '../../../shared/models/pbas-config'
import { orderStatisticLevel } from '../../../shared/calibration/conformal'
import { fprThreshold, reviewBand, type ReviewBand, type Threshold } from '../metrics/thresholds'

/** A model's decision thresholds and, when they come from unseen good images, what they promise. */
export interface CalibratedThresholds {
  default: Threshold
  band: ReviewBand
  source: string
  calibration?: Calibration
}

/** The review band starts where this share of good parts would be sent to a reviewer (5x the fail target). */
export function reviewTarget(failTarget: number): number {
  return Math.min(0.5, failTarget * 5)
}

/**
 * Pass / review / fail thresholds from scores of good images the model never trained on: each level is the
 * ceil((n + 1)(1 - a))-th order statistic, so the stated false-reject rate is a bound for new good parts.
 */
export function calibrateThresholds(scores: Float32Array, cfg: Pick<PbasConfig, 'targetFalseReject'>, source: string): CalibratedThresholds {
  const fail = orderStatisticLevel(scores, cfg.targetFalseReject)
  const review = orderStatisticLevel(scores, reviewTarget(cfg.targetFalseReject))
  return {
    default: { mode: 'fpr', value: fail.value, achieved: fail.observed },
    band: { review: Math.min(review.value, fail.value), fail: fail.value },
    source,
    calibration: { images: scores.length, floor: 1 / (scores.length + 1), fail, review, source },
  }
}

/** Without held-out images: quantiles of training scores, which run low (the model has seen them), so no bound. */
export function trainingImageThresholds(scores: Float32Array, cfg: Pick<PbasConfig, 'targetFalseReject'>): CalibratedThresholds {
  return {
    default: fprThreshold(scores, cfg.targetFalseReject),
    band: reviewBand(scores, cfg.targetFalseReject, reviewTarget(cfg.targetFalseReject)),
    source: `the ${scores.length} training images (no hold-out; thresholds are optimistic and promise no false-reject rate)`,
  }
}

/** Scores of the good images behind the model's active thresholds (what drift is measured against); null without a bound. */
export function activeCalibrationScores(meta: Pick<ModelMeta, 'calibrations'>): number[] | null {
  const c = meta.calibrations
  const rev = c?.revisions.find((r) => r.id === c.active)
  return rev ? rev.images.map((x) => x.score) : null
}
