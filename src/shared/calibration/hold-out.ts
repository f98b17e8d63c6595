// How many good images a run holds out for calibration, and what false-reject rate that set can promise.
import type { PbasConfig } from '../models/pbas-config'

/** The split of a product's good images and what it supports. */
export interface HoldOutPlan {
  good: number
  /** held out: calibration (and, with a validation share, epoch selection) */
  holdOut: number
  train: number
  /** smallest false-reject rate the calibration images can promise, 1 / (n + 1); null without calibration */
  floor: number | null
  /** the configured target can be promised */
  supportable: boolean
  /** a target the data supports (rounded up to 0.1 %), when the configured one is not */
  proposedTarget: number | null
  /** one sentence for the training form and the CLI when the target cannot be promised */
  warning: string | null
}

/** Calibration images needed before a false-reject target can be promised: the n with 1 / (n + 1) <= target. */
export function imagesForTarget(target: number): number {
  return Math.ceil(1 / target - 1 - 1e-9)
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`

type Settings = Pick<PbasConfig, 'calibrationShare' | 'minCalibrationImages' | 'validationShare' | 'targetFalseReject'>

/**
 * Hold-out size: the larger of the calibration and validation shares of the good images, at least
 * `minCalibrationImages` (a bound from fewer than ~8 images is too loose to act on) but never more than a
 * quarter of them (training needs the rest). A calibration share of 0 turns calibration off.
 */
export function holdOutPlan(good: number, cfg: Settings): HoldOutPlan {
  const share = Math.max(cfg.calibrationShare, cfg.validationShare)
  let holdOut = Math.floor(good * share)
  if (cfg.calibrationShare > 0) holdOut = Math.max(holdOut, Math.min(cfg.minCalibrationImages, Math.floor(good / 4)))
  holdOut = Math.min(holdOut, Math.max(0, good - 1))
  const calibrated = cfg.calibrationShare > 0 && holdOut > 0
  const floor = calibrated ? 1 / (holdOut + 1) : null
  const supportable = floor !== null && cfg.targetFalseReject + 1e-12 >= floor
  const proposedTarget = floor !== null && !supportable ? Math.ceil(floor * 1000 - 1e-9) / 1000 : null
  let warning: string | null = null
  if (!calibrated) warning = 'no good images are held out for calibration, so the thresholds come from training images and promise no false-reject rate'
  else if (!supportable && floor !== null) {
    const needed = imagesForTarget(cfg.targetFalseReject)
    warning =
      `with ${holdOut} calibration images the lowest false-reject rate that can be promised is ${pct(floor)}, ` +
      `not the ${pct(cfg.targetFalseReject)} asked for: use a target of ${pct(proposedTarget!)} or more, or add good images ` +
      `(${needed} calibration images, about ${Math.ceil(needed / Math.max(share, 0.01))} good images, support ${pct(cfg.targetFalseReject)})`
  }
  return { good, holdOut, train: good - holdOut, floor, supportable, proposedTarget, warning }
}
