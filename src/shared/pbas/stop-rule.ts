// When training is done: the label-free convergence rule on the held-out good images' scores, and the epochs to expect.
import type { PbasConfig } from './parameters'

/**
 * The held-out good images' scores after one epoch, in score units (logits): the highest image score (what the
 * fail threshold follows with few calibration images) and quantiles of all their patch scores (what the heat
 * maps and pixel ranking follow).
 */
export interface HeldOutSummary {
  /** highest image score (max patch score per image) */
  top: number
  /** median image score */
  imageMedian: number
  /** patch-score quantiles over every held-out patch */
  q50: number
  q90: number
  q99: number
}

/**
 * The figures the rule watches, each as a spread above the held-out patches' median: the discriminator's
 * overall offset drifts from epoch to epoch without changing how patches rank (and the thresholds are set
 * after training anyway); how far the high scores stand above the typical good patch is what settles.
 */
export const WATCHED = ['top', 'imageMedian', 'q90', 'q99'] as const

type RuleConfig = Pick<PbasConfig, 'stopRule' | 'minEpochs' | 'stopWindow' | 'stopTolerance' | 'epochs'>

/** Why a run stopped: the rule that ended it and a sentence for people. */
export interface StopReason {
  rule: 'converged' | 'budget'
  epoch: number
  message: string
}

/**
 * The converged rule: after epoch e (at least minEpochs), stop when every watched spread of the last
 * stopWindow + 1 epochs stayed within stopTolerance of each other (max - min). Null = go on. Uses only the
 * held-out good images (no test labels), and only the history, so a resumed run decides as the first would.
 */
export function convergedAt(history: readonly { epoch: number; heldOut?: HeldOutSummary }[], cfg: RuleConfig): StopReason | null {
  if (cfg.stopRule !== 'converged' || !history.length) return null
  const epoch = history[history.length - 1].epoch
  if (epoch < cfg.minEpochs || epoch >= cfg.epochs) return null
  const last = history.slice(-(cfg.stopWindow + 1))
  if (last.length < cfg.stopWindow + 1 || last.some((h) => !h.heldOut)) return null
  let widest = 0
  let which: (typeof WATCHED)[number] = WATCHED[0]
  for (const k of WATCHED) {
    const v = last.map((h) => h.heldOut![k] - h.heldOut!.q50)
    const range = Math.max(...v) - Math.min(...v)
    if (!(range <= cfg.stopTolerance)) return null
    if (range >= widest) [widest, which] = [range, k]
  }
  return {
    rule: 'converged',
    epoch,
    message: `stopped after epoch ${epoch} of at most ${cfg.epochs}: the held-out good images' score spreads (above their median patch) changed by at most ${widest.toFixed(3)} (${which}) over the last ${cfg.stopWindow + 1} epochs (tolerance ${cfg.stopTolerance})`,
  }
}

/** The reason of a run that used its whole budget. */
export function budgetReason(cfg: Pick<PbasConfig, 'epochs' | 'stopRule'>, epochs: number): StopReason {
  const message = cfg.stopRule === 'converged' ? `ran the full budget of ${cfg.epochs} epochs (the scores had not settled)` : `ran the configured ${epochs} epochs`
  return { rule: 'budget', epoch: epochs, message }
}

/**
 * On MVTec bottle (Quick, bench/results/time-to-model.json) the converged rule stopped after epoch 8, 4 epochs
 * after the earliest it could (epoch 4): estimates plan for that, the budget caps it.
 */
export const TYPICAL_EXTRA_EPOCHS = 4

/**
 * Epochs an estimate plans for: the budget, or with the converged rule the earliest stop plus the typical
 * extra epochs, never fewer than already run nor more than the budget.
 */
export function expectedEpochs(cfg: RuleConfig, epochsDone = 0): number {
  if (cfg.stopRule !== 'converged') return cfg.epochs
  const earliest = Math.max(cfg.minEpochs, cfg.stopWindow + 1)
  return Math.min(cfg.epochs, Math.max(epochsDone + (epochsDone < cfg.epochs ? 1 : 0), earliest + TYPICAL_EXTRA_EPOCHS))
}
