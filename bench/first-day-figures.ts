// Figures of the first-day bench: where good and defective parts went, by phase, with intervals.
import { clopperPearson } from '../src/shared/calibration/conformal'
import { decisionAt } from '../src/shared/review/threshold-stats'

/** One part as the stream saw it: true label, score, the station's verdict and the revision that decided it. */
export interface StreamedPart {
  file: string
  label: 'good' | 'defect'
  defectType: string
  score: number
  verdict: 'pass' | 'review' | 'fail'
  revision: number
  /** a reviewer was asked (review band) and answered with the true label */
  reviewed: boolean
}

const share = (x: number, n: number) => (n ? x / n : null)

/** Goods to fail / review / pass (the band's cost beside every figure), defects caught at fail and at review. */
export function outcome(parts: readonly { label: 'good' | 'defect'; verdict: 'pass' | 'review' | 'fail'; reviewed?: boolean }[]) {
  const goods = parts.filter((p) => p.label === 'good')
  const defects = parts.filter((p) => p.label === 'defect')
  const count = (xs: typeof parts, v: string) => xs.filter((p) => p.verdict === v).length
  const g = { n: goods.length, fail: count(goods, 'fail'), review: count(goods, 'review'), pass: count(goods, 'pass') }
  const d = { n: defects.length, fail: count(defects, 'fail'), review: count(defects, 'review'), pass: count(defects, 'pass') }
  return {
    goods: {
      ...g,
      toFail: share(g.fail, g.n),
      toReview: share(g.review, g.n),
      passed: share(g.pass, g.n),
      toFailOrReview: share(g.fail + g.review, g.n),
      toFailOrReviewInterval: clopperPearson(g.fail + g.review, g.n),
      toFailInterval: clopperPearson(g.fail, g.n),
    },
    defects: { ...d, recallAtFail: share(d.fail, d.n), recallAtFailOrReview: share(d.fail + d.review, d.n), recallAtFailInterval: clopperPearson(d.fail, d.n) },
    reviewsAsked: parts.filter((p) => p.reviewed).length,
  }
}

/** Every part of the split decided by one band (parts that calibrated it left out): the same question with more parts. */
export function underBand(parts: readonly StreamedPart[], band: { review: number; fail: number }, leaveOut: ReadonlySet<string> = new Set()) {
  return outcome(parts.filter((p) => !leaveOut.has(p.file)).map((p) => ({ label: p.label, verdict: decisionAt(p.score, band.fail, band.review) })))
}
