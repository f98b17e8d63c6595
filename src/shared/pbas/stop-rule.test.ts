import { describe, expect, it } from 'vitest'
import { budgetReason, convergedAt, expectedEpochs, type HeldOutSummary } from './stop-rule'

const cfg = { stopRule: 'converged' as const, minEpochs: 3, stopWindow: 2, stopTolerance: 0.1, epochs: 20 }
const at = (v: number, over: Partial<HeldOutSummary> = {}): HeldOutSummary => ({ top: v, imageMedian: v - 1, q50: v - 3, q90: v - 2, q99: v - 1.5, ...over })
const history = (values: number[], over: (i: number) => Partial<HeldOutSummary> = () => ({})) => values.map((v, i) => ({ epoch: i + 1, heldOut: at(v, over(i)) }))

describe('the converged stop rule', () => {
  it('stops once every watched figure stayed within the tolerance over the window, and says why', () => {
    // The top image's spread above the median patch moves by 1 an epoch, then settles.
    const top = (tops: number[]) => history(tops.map(() => 0), (i) => ({ top: tops[i] }))
    expect(convergedAt(top([0, 1, 2, 2.05]), cfg)).toBeNull() // epochs 2-4 span 1.05
    const stop = convergedAt(top([0, 1, 2, 2.05, 2.02]), cfg)
    expect(stop).toMatchObject({ rule: 'converged', epoch: 5 })
    expect(stop!.message).toMatch(/after epoch 5 of at most 20.*at most 0\.050 \(top\) over the last 3 epochs \(tolerance 0\.1\)/)
  })

  it('watches the spreads above the median patch: a moving high quantile goes on, a shift of every score does not', () => {
    const moving = history([2, 2, 2, 2, 2], (i) => ({ q99: i * 0.2 }))
    expect(convergedAt(moving, cfg)).toBeNull()
    expect(convergedAt(history([0, 1, 2, 3, 4]), cfg)).toMatchObject({ epoch: 5 })
  })

  it('never stops before the fewest epochs, at the budget, with the rule off, or without held-out figures', () => {
    expect(convergedAt(history([1, 1, 1]), { ...cfg, minEpochs: 4 })).toBeNull()
    expect(convergedAt(history([1, 1, 1, 1]), { ...cfg, minEpochs: 4 })).toMatchObject({ epoch: 4 })
    expect(convergedAt(history([1, 1, 1, 1]), { ...cfg, epochs: 4 })).toBeNull() // the budget ends it anyway
    expect(convergedAt(history([1, 1, 1, 1]), { ...cfg, stopRule: 'budget' })).toBeNull()
    expect(convergedAt([{ epoch: 1 }, { epoch: 2 }, { epoch: 3 }, { epoch: 4 }], cfg)).toBeNull()
    expect(convergedAt(history([1, 1, 1, Number.NaN]), cfg)).toBeNull()
  })

  it('plans estimates for the typical stop, within the budget, and never below what already ran', () => {
    expect(expectedEpochs({ ...cfg, stopRule: 'budget' })).toBe(20)
    const planned = expectedEpochs(cfg)
    expect(planned).toBeGreaterThanOrEqual(3)
    expect(planned).toBeLessThan(20)
    expect(expectedEpochs(cfg, 12)).toBe(13)
    expect(expectedEpochs(cfg, 20)).toBe(20)
    expect(expectedEpochs({ ...cfg, epochs: 2 })).toBe(2)
    expect(budgetReason(cfg, 20).message).toBe('ran the full budget of 20 epochs (the scores had not settled)')
  })
})
