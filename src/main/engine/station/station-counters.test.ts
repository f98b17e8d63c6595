import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../util/random'
import { DRIFT_MIN_PASSED } from '../../../shared/models/station'
import { CounterTracker } from './station-counters'

const totals = () => ({ pass: 0, review: 0, fail: 0, unreadable: 0 })
// Forty-one calibration scores spread evenly over [0.50, 0.70], like a held-out set's.
const calibration = Array.from({ length: 41 }, (_, i) => 0.5 + (0.2 * i) / 40)

/** A tracker fed `n` parts: scores from `score(i)`, passed below `review`. */
function feed(n: number, score: (i: number) => number, review = 0.69, cal: number[] | null = calibration) {
  const t = new CounterTracker(totals(), cal)
  for (let i = 0; i < n; i++) {
    const s = score(i)
    t.scored(5, { score: s, verdict: s >= 0.8 ? 'fail' : s >= review ? 'review' : 'pass' })
  }
  return t.snapshot(0).drift
}

describe('drift of the line in the station counters', () => {
  it('says nothing before enough passed parts, and nothing without calibration scores', () => {
    expect(feed(DRIFT_MIN_PASSED - 1, () => 0.68)).toBeNull()
    expect(feed(100, () => 0.68, 0.69, null)).toBeNull()
  })

  it('flags passed parts that score above most calibration images', () => {
    // Like bottle's good test parts against its held-out images: the passed ones sit in the calibration's upper part.
    const d = feed(30, (i) => 0.64 + (0.05 * i) / 30)!
    expect(d.goodImages).toBe(30)
    expect(d.higherShare).toBeGreaterThan(0.8)
    expect(d.shifted).toBe(true)
  })

  it('does not flag good parts drawn like the calibration images, and defects do not raise it', () => {
    const rand = mulberry32(7)
    // Good parts from the calibration's own range, one part in four a defect far above it.
    const d = feed(200, (i) => (i % 4 === 3 ? 0.9 + 0.1 * rand() : 0.5 + 0.2 * rand()))!
    expect(d.goodImages).toBeLessThan(150)
    expect(d.shifted).toBe(false)
  })

  it('counts only the most recent passed parts', () => {
    const shifted = (i: number) => 0.66 + (0.02 * (i % 10)) / 10
    const alike = (i: number) => 0.5 + (0.2 * (i % 41)) / 41
    expect(feed(200, shifted)!.shifted).toBe(true)
    // 200 shifted parts, then the line is put right: once 200 passed parts like the calibration set follow, the warning goes.
    const d = feed(500, (i) => (i < 200 ? shifted(i) : alike(i)))!
    expect(d.goodImages).toBe(200)
    expect(d.shifted).toBe(false)
  })
})
