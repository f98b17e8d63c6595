import { describe, expect, it } from 'vitest'
import { confusionAt, falseRejectThreshold, scoreHistogram, type LabelledScore } from './threshold-stats'

const items: LabelledScore[] = [
  { score: 0.1, label: 'good' }, { score: 0.2, label: 'good' }, { score: 0.35, label: 'good' }, { score: 0.6, label: 'good' },
  { score: 0.5, label: 'defect' }, { score: 0.9, label: 'defect' }, { score: 0.3, label: 'defect' }, { score: 0.7, label: null },
]

describe('confusionAt', () => {
  it('counts flagged parts against labels, the review band, and the rates', () => {
    const c = confusionAt(items, 0.5, 0.3)
    expect(c).toMatchObject({ tp: 2, fp: 1, tn: 3, fn: 1, flagged: 4, inReview: 2 })
    expect(c.precision).toBeCloseTo(2 / 3)
    expect(c.recall).toBeCloseTo(2 / 3)
    expect(c.falseRejectRate).toBeCloseTo(1 / 4)
    // Raising the threshold trades false rejects for escapes.
    expect(confusionAt(items, 0.8)).toMatchObject({ tp: 1, fp: 0, fn: 2, falseRejectRate: 0 })
    expect(confusionAt([{ score: 1, label: null }], 0.5)).toMatchObject({ flagged: 1, precision: null, recall: null, falseRejectRate: null })
  })
})

describe('falseRejectThreshold', () => {
  it('rejects at most the target share of good parts and never splits ties', () => {
    const good = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    expect(falseRejectThreshold(good, 0.2)).toEqual({ value: expect.closeTo(0.8, 6), achieved: 0.2 })
    expect(falseRejectThreshold(good, 0.2).value).toBeGreaterThan(0.8)
    expect(falseRejectThreshold([0.5, 0.5, 0.5, 0.1], 0.5).achieved).toBe(0)
    expect(() => falseRejectThreshold([], 0.1)).toThrow(/needs scores of good images/)
  })
})

describe('scoreHistogram', () => {
  it('puts every score in one bin of its class', () => {
    const h = scoreHistogram(items, 10)
    expect(h.edges).toHaveLength(11)
    expect(h.good.reduce((a, b) => a + b)).toBe(4)
    expect(h.defect.reduce((a, b) => a + b)).toBe(3)
    expect(h.other.reduce((a, b) => a + b)).toBe(1)
    expect(h.lo).toBeLessThan(0.1)
    expect(h.hi).toBeGreaterThan(0.9)
    expect(h.defect[9]).toBe(1)
  })
})
