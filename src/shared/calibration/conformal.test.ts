import { describe, expect, it } from 'vitest'
import { binomialCdf, clopperPearson, driftCheck, orderStatisticLevel } from './conformal'
import { holdOutPlan, imagesForTarget } from './hold-out'
import { nextUp } from '../review/threshold-stats'

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe('finite-sample false-reject thresholds', () => {
  it('takes the ceil((n + 1)(1 - a))-th order statistic and states its bound (hand-computed cases)', () => {
    // n = 19, a = 0.2: k = ceil(20 * 0.8) = 16; bound (20 - 16) / 20 = 0.2; scores 17, 18, 19 are flagged.
    const a = orderStatisticLevel(oneToN(19).reverse(), 0.2)
    expect([a.k, a.bound, a.supportable, a.value, a.observed]).toEqual([16, 0.2, true, nextUp(16), 3 / 19])
    // n = 99, a = 0.01: k = ceil(100 * 0.99) = 99 exactly (no rounding up to 100): the largest score, bound 1 %.
    const b = orderStatisticLevel(oneToN(99), 0.01)
    expect([b.k, b.bound, b.supportable, b.observed]).toEqual([99, 0.01, true, 0])
    // n = 10, a = 0.01 cannot be promised: k would be 11 > 10, so the largest score and the bound 1 / 11.
    const c = orderStatisticLevel(oneToN(10), 0.01)
    expect([c.k, c.bound, c.supportable, c.value]).toEqual([10, 1 / 11, false, nextUp(10)])
    // n = 10, a = 0.1: k = ceil(9.9) = 10, bound 1 / 11 = 9.1 % <= 10 %.
    expect(orderStatisticLevel(oneToN(10), 0.1)).toMatchObject({ k: 10, bound: 1 / 11, supportable: true })
    // Ties: every score equal to s_(k) passes, so the rate never exceeds the bound.
    const tied = orderStatisticLevel([1, 1, 1, 1, 1, 1, 1, 1, 2, 2], 0.2)
    expect([tied.k, tied.value, tied.observed]).toEqual([9, nextUp(2), 0])
    expect(() => orderStatisticLevel([], 0.01)).toThrow(/calibration needs scores/)
  })

  it('gives exact Clopper-Pearson intervals (closed forms and scipy.stats.beta.ppf values)', () => {
    // x = 0: upper = 1 - (a/2)^(1/n); x = n: lower = (a/2)^(1/n).
    expect(clopperPearson(0, 10)).toEqual([0, expect.closeTo(1 - 0.025 ** (1 / 10), 10)])
    expect(clopperPearson(10, 10)).toEqual([expect.closeTo(0.025 ** (1 / 10), 10), 1])
    // Interior cases, checked against scipy.stats.beta.ppf(0.025, x, n - x + 1) and beta.ppf(0.975, x + 1, n - x).
    const cases: [number, number, number, number][] = [[1, 10, 0.0025285785, 0.445016117], [3, 20, 0.0320709372, 0.3789268265], [1, 117, 0.0002163681, 0.0467008525], [5, 50, 0.0332750936, 0.2181353664]]
    for (const [x, n, lo, hi] of cases) {
      const [l, h] = clopperPearson(x, n)
      expect(l).toBeCloseTo(lo, 9)
      expect(h).toBeCloseTo(hi, 9)
    }
    expect(binomialCdf(2, 4, 0.5)).toBeCloseTo(11 / 16, 12)
  })

  it('tells when good parts score higher than the calibration images (Mann-Whitney, as scipy computes it)', () => {
    // scipy.stats.mannwhitneyu(good, calibration, alternative='greater', method='asymptotic') p-values.
    expect(driftCheck([3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5])!.pValue).toBeCloseTo(0.9784196103697714, 6)
    const up = driftCheck([1, 2, 3, 4, 5], [5, 6, 7, 8, 9, 10])!
    expect(up.pValue).toBeCloseTo(0.005205549073555211, 6)
    expect([up.shifted, up.higherShare]).toEqual([true, 29.5 / 30])
    expect(driftCheck([1], [2, 3])).toBeNull()
  })

  it('holds out enough good images to calibrate, and says when a target cannot be promised', () => {
    const cfg = { calibrationShare: 0.2, minCalibrationImages: 8, validationShare: 0, targetFalseReject: 0.01 }
    // 54 good images: 10 held out, so nothing below 1/11 = 9.1 % can be promised; the plan proposes 9.1 %.
    const p = holdOutPlan(54, cfg)
    expect([p.holdOut, p.train, p.floor, p.supportable, p.proposedTarget]).toEqual([10, 44, 1 / 11, false, 0.091])
    expect(p.warning).toContain('with 10 calibration images the lowest false-reject rate that can be promised is 9.1 %')
    // 1 % needs 99 images (1 / 100), 2 % needs 49, 0.3 % needs 333 (1 / 334 <= 0.003 < 1 / 333).
    expect([imagesForTarget(0.01), imagesForTarget(0.02), imagesForTarget(0.003)]).toEqual([99, 49, 333])
    expect(p.warning).toContain('(99 calibration images')
    // 400 good images: 80 held out support 1 / 81 = 1.23 %, so 1.3 % is proposed; 553 (BSData pitting): 110 support 1 %.
    expect(holdOutPlan(400, cfg)).toMatchObject({ holdOut: 80, supportable: false, proposedTarget: 0.013 })
    expect(holdOutPlan(553, cfg)).toMatchObject({ holdOut: 110, supportable: true, proposedTarget: null, warning: null })
    // Small sets: at least 8 images, but never more than a quarter of them.
    expect(holdOutPlan(30, cfg).holdOut).toBe(7)
    expect(holdOutPlan(12, { ...cfg, validationShare: 0.25 }).holdOut).toBe(3)
    expect(holdOutPlan(40, { ...cfg, calibrationShare: 0 })).toMatchObject({ holdOut: 0, floor: null, warning: expect.stringContaining('promise no false-reject rate') })
  })
})
