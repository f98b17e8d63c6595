import { describe, expect, it } from 'vitest'
import { logit, sigmoid, tailCount, tailLevel } from './tail-level'

/** Deterministic scores: logits evenly spread in [a, b], returned as probabilities. */
const spread = (n: number, a: number, b: number) => Float32Array.from({ length: n }, (_, i) => sigmoid(a + ((b - a) * i) / (n - 1)))

describe('the tail level (label-free fail level)', () => {
  it('works on logits, so saturated scores keep their order and spacing', () => {
    expect(logit(0.5)).toBe(0)
    expect(logit(0.9999) - logit(0.999)).toBeCloseTo(2.30, 1)
    expect(sigmoid(logit(0.73))).toBeCloseTo(0.73, 12)
    // A score of exactly 1 (a float32 that rounded up) stays finite.
    expect(Number.isFinite(logit(1))).toBe(true)
  })

  it('lies above every calibration score, further out for a smaller exceedance, and follows the tail spread', () => {
    const s = spread(41, -3, 1)
    const t = tailLevel(s)
    expect(t.estimate).toBe(true)
    expect(t.tailImages).toBe(tailCount(41))
    expect(t.logit).toBeGreaterThan(logit(s[40]))
    expect(tailLevel(s, 1e-4).logit).toBeGreaterThan(t.logit)
    // Same scores, twice as spread out in logits: the level moves twice as far above the top.
    const wide = tailLevel(spread(41, -6, 2))
    expect(wide.logit - 2).toBeCloseTo(2 * (t.logit - 1), 6)
  })

  it('keeps a distance above tied (saturated) scores instead of sitting on them', () => {
    const tied = new Float32Array(10).fill(0.9995)
    const t = tailLevel(tied)
    expect(t.logit).toBeGreaterThan(logit(0.9995) + 0.05)
  })
})

