// Sentences the CLI prints about a model's metrics and thresholds (the same facts the app's panels show).
import type { ReviewMetrics } from '../../shared/models/review'
import type { CalibratedLevel } from '../../shared/models/calibration'
import type { ModelMeta } from '../engine/model/model-file'
import { describeTail } from '../../shared/calibration/tail-level'

/** 0.0123 -> "1.23" (percent, two decimals); null -> "n/a". */
export const pct = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? 'n/a' : (100 * x).toFixed(digits))

/** The five metrics, then what they mean at the line. */
export function formatMetrics(m: ReviewMetrics): string {
  const line = `I-AUROC ${pct(m.image_auroc)}  I-AP ${pct(m.image_ap)}  P-AUROC ${pct(m.pixel_auroc)}  P-AP ${pct(m.pixel_ap)}  PRO ${pct(m.pixel_pro)}`
  const atLine = `at the model's threshold: ${pct(m.false_reject_rate, 1)} % of good parts rejected, ${pct(m.defect_recall, 1)} % of defective parts caught; recall at 1 % false rejects ${pct(m.tpr_at_1pct_fpr, 1)} %`
  return `${line}\n${atLine}`
}

function level(l: CalibratedLevel): string {
  const promise = l.supportable ? `at most ${pct(l.bound, 1)} % of new good parts (target ${pct(l.target, 1)} %)` : `at most ${pct(l.bound, 1)} % of new good parts (the ${pct(l.target, 1)} % target needs more calibration images)`
  return `${l.value.toFixed(4)}: ${promise}; observed on calibration ${pct(l.observed, 1)} % (95 % CI ${pct(l.interval[0], 1)}-${pct(l.interval[1], 1)} %)`
}

/** What the model's thresholds are, which images set them and what they promise. */
export function describeThresholds(meta: ModelMeta): string {
  const t = meta.thresholds
  const c = t.calibration
  if (!c) return `thresholds: fail at ${t.band.fail.toFixed(4)}, review from ${t.band.review.toFixed(4)}, set on ${t.source}`
  const rev = meta.calibrations ? ` (calibration revision ${meta.calibrations.active})` : ''
  const head = `thresholds set on ${c.source}${rev}`
  // Fail above the tail level: the calibrated fail level then only says "above the calibration images", which goes to review.
  if (c.tail && t.band.fail > c.fail.value)
    return [head, `  review from ${level(c.review)}`, `  above the calibration level ${level(c.fail)}: parts there go to review, not fail`, `  fail at ${describeTail(c.tail)}`].join('\n')
  return [head, `  fail at ${level(c.fail)}`, `  review from ${level(c.review)}`].join('\n')
}
