// Thresholds from good images' scores: the finite-sample rule on calibration images, or (no hold-out) training images.
import type { Calibration } from '../../../shared/models/calibration'
import { tailLevel } from '../../../shared/calibration/tail-level'
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
 * The band a calibration decides with. Review starts at the lower order-statistic level (bounds: at most
 * `review.bound` of new good parts reach review or fail). Fail starts at the tail level when it lies above
 * the calibrated fail level: a part above every calibration image but not clearly defect-like is "not sure
 * yet" and goes to a reviewer, never straight to fail. Calibrations from before the tail level fail at `fail`.
 */
export function bandOf(c: Pick<Calibration, 'fail' | 'review' | 'tail'>): ReviewBand {
  const fail = Math.max(c.fail.value, c.tail?.value ?? -Infinity)
  return { review: Math.min(c.review.value, c.fail.value), fail }
}

/** The thresholds a calibration stands for, as a model stores them. */
export function thresholdsOf(c: Calibration): CalibratedThresholds {
  const band = bandOf(c)
  return { default: { mode: 'fpr', value: band.fail, achieved: c.fail.observed }, band, source: c.source, calibration: c }
}

/**
 * Pass / review / fail thresholds from scores of good images the model never trained on: the order-statistic
 * levels are ceil((n + 1)(1 - a))-th order statistics, so their stated false-reject rates are bounds for new
 * good parts like these; the fail level above them comes from a tail model of the same scores (an estimate).
 */
export function calibrateThresholds(scores: Float32Array, cfg: Pick<PbasConfig, 'targetFalseReject'>, source: string): CalibratedThresholds {
  const fail = orderStatisticLevel(scores, cfg.targetFalseReject)
  const review = orderStatisticLevel(scores, reviewTarget(cfg.targetFalseReject))
  return thresholdsOf({ images: scores.length, floor: 1 / (scores.length + 1), fail, review, source, tail: tailLevel(scores) })
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
