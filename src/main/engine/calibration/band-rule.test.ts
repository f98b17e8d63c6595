import { describe, expect, it } from 'vitest'
import { sigmoid, tailLevel } from '../../../shared/calibration/tail-level'
import { orderStatisticLevel } from '../../../shared/calibration/conformal'
import { decisionAt } from '../../../shared/review/threshold-stats'
import { bandOf } from './calibrate'

/** Deterministic scores: logits evenly spread in [a, b], returned as probabilities. */
const spread = (n: number, a: number, b: number) => Float32Array.from({ length: n }, (_, i) => sigmoid(a + ((b - a) * i) / (n - 1)))

describe('the band rule', () => {
  const scores = spread(10, -1, 1)
  const c = { fail: orderStatisticLevel(scores, 0.01), review: orderStatisticLevel(scores, 0.05), tail: tailLevel(scores) }

  it('sends a good part above every calibration image but below the tail level to review, never to fail', () => {
    const band = bandOf(c)
    expect(band.fail).toBeCloseTo(c.tail.value, 12)
    expect(band.review).toBe(c.review.value)
    const above = sigmoid(1.2)
    expect(above).toBeGreaterThan(c.fail.value)
    expect(above).toBeLessThan(band.fail)
    expect(decisionAt(above, band.fail, band.review)).toBe('review')
    expect(decisionAt(sigmoid(c.tail.logit + 0.01), band.fail, band.review)).toBe('fail')
    expect(decisionAt(sigmoid(0), band.fail, band.review)).toBe('pass')
  })

  it('fails at the calibrated level when the tail level lies below it, and for calibrations without a tail', () => {
    expect(bandOf({ ...c, tail: { ...c.tail, value: 0.1 } }).fail).toBe(c.fail.value)
    expect(bandOf({ fail: c.fail, review: c.review })).toEqual({ review: c.review.value, fail: c.fail.value })
  })
})
