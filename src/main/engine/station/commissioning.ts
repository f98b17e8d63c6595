// Commissioning a model at the line: collect reviewer-confirmed good parts, propose recalibration, end when the line fits.
import { driftCheck } from '../../../shared/calibration/conformal'
import { DEFAULT_COMMISSION_K, type CommissioningState } from '../../../shared/models/station'

/** A part the station scored, as commissioning needs it (`path`: where it is now, for recalibration). */
export interface CommissionPart {
  file: string
  path: string
  score: number
  verdict: 'pass' | 'review' | 'fail'
}

/** Parts to recalibrate on, and whether to drop the training hold-out (the line has moved away from it). */
export interface CommissionProposal {
  images: { path: string; score: number }[]
  replace: boolean
  reason: string
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`

/**
 * The commissioning rule, one implementation for `pbas watch --commission`, the app's station and the
 * first-day bench. Pure bookkeeping: the caller scores parts, relays reviewers' answers and runs the
 * recalibration it proposes. Passed parts count as known good for the drift check (defects rarely pass,
 * and a passed defect can only lower the sample); confirmed parts are known good by a reviewer.
 */
export class Commissioning {
  private readonly pending = new Map<string, CommissionPart>()
  private confirmed: CommissionPart[] = []
  private known: number[] = []
  private defects = 0
  private recalibrations = 0
  private active: boolean
  /** a recalibration on the line's own parts happened since commissioning began (or began again) */
  private fromLine = false

  constructor(
    /** scores of the images behind the active thresholds */
    private calibration: readonly number[],
    private revision: number | null,
    readonly k = DEFAULT_COMMISSION_K,
    /** a model already commissioned starts outside commissioning and re-enters it when its line drifts */
    start = true,
  ) {
    if (!Number.isInteger(k) || k < 2) throw new Error(`commissioning needs at least 2 confirmed parts per recalibration, not ${k}`)
    this.active = start
  }

  /** Records a scored part: review and fail wait for a reviewer; passes join the known-good sample. */
  scored(part: CommissionPart): void {
    if (part.verdict === 'pass') this.known.push(part.score)
    else this.pending.set(part.file, part)
    this.update()
  }

  /** A reviewer's answer on a queued part; false when the part is not waiting for one. */
  answer(file: string, label: 'good' | 'defect'): boolean {
    const part = this.pending.get(file)
    if (!part) return false
    this.pending.delete(file)
    if (label === 'defect') this.defects++
    else {
      this.known.push(part.score)
      this.confirmed.push(part)
    }
    this.update()
    return true
  }

  /** Leaves commissioning when k known-good parts since the last calibration show no drift; re-enters when they do. */
  private update(): void {
    const d = this.drift()
    if (!d) return
    if (d.shifted) {
      if (!this.active) this.fromLine = false
      this.active = true
    } else if (this.confirmed.length < this.k && !this.reviewsPending()) this.active = false
  }

  /**
   * Parts in review not answered yet. The known-good sample leaves them out, and they are the high-scoring
   * ones, so until reviewers catch up that sample runs low and "no drift" is not to be trusted.
   */
  private reviewsPending(): boolean {
    for (const p of this.pending.values()) if (p.verdict === 'review') return true
    return false
  }

  /**
   * While commissioning, parts that would pass but score at or above the median calibration score go to review:
   * until the line's own good parts have been seen, the calibration images are the only evidence of what good
   * looks like there, and a reviewer's answers on typical-to-high parts are what recalibration needs. Once
   * recalibrated on the line's own confirmed parts, the band's calibrated levels are about this line, so the
   * extra review level goes (commissioning itself ends when the drift check agrees).
   */
  reviewFrom(): number | null {
    if (!this.active || this.fromLine || !this.calibration.length) return null
    const s = [...this.calibration].sort((a, b) => a - b)
    return s[Math.floor((s.length - 1) / 2)]
  }

  /** Known-good parts since the last calibration against its images (null before k of them). */
  private drift() {
    return this.known.length >= this.k ? driftCheck(this.calibration, this.known) : null
  }

  /** Recalibration on the confirmed parts, once there are k; null before. */
  proposal(): CommissionProposal | null {
    if (!this.active || this.confirmed.length < this.k) return null
    const images = this.confirmed.map((p) => ({ path: p.path, score: p.score }))
    const moved = driftCheck(this.calibration, images.map((x) => x.score))
    const replace = !!moved?.shifted
    const reason = replace
      ? `the ${images.length} confirmed good parts score higher than the calibration images (Mann-Whitney p = ${moved!.pValue.toPrecision(2)}): calibrate on them alone`
      : `the ${images.length} confirmed good parts score like the calibration images: add them to the calibration set`
    return { images, replace, reason }
  }

  /** The proposal was applied: the new revision's images become the reference and the counts start again. */
  recalibrated(revision: number, calibration: readonly number[]): void {
    this.calibration = calibration
    this.revision = revision
    this.recalibrations++
    this.fromLine = true
    // Parts still waiting were decided under the old thresholds; they neither block nor feed the new check.
    this.pending.clear()
    this.confirmed = []
    this.known = []
  }

  /** Where commissioning stands; it ends here once k known-good parts since the last calibration show no drift. */
  state(): CommissioningState {
    const drift = this.drift()
    const p = this.proposal()
    const message = !this.active
      ? drift?.shifted === false
        ? `commissioned: the last ${drift.goodImages} known-good parts score like the ${drift.calibrationImages} calibration images (p = ${drift.pValue.toPrecision(2)})`
        : 'commissioned'
      : p
        ? `${p.images.length} parts confirmed good: recalibrate on them (${p.replace ? 'without' : 'with'} the training hold-out)`
        : `commissioning: parts the model is not sure of go to review; ${this.confirmed.length} of ${this.k} confirmed good so far${drift?.shifted ? ` (the line scores higher than calibration: ${pct(drift.higherShare)} of pairs)` : ''}`
    return { active: this.active, reviewFrom: this.reviewFrom(), k: this.k, confirmed: this.confirmed.length, defects: this.defects, waiting: this.pending.size, proposal: p && { images: p.images.length, replace: p.replace, reason: p.reason }, revision: this.revision, recalibrations: this.recalibrations, drift, message }
  }
}
