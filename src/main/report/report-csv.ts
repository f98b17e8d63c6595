// Per-image scores and verdicts of an evaluation as CSV (RFC 4180 quoting; scores at full precision).
import type { ChosenThreshold, ReviewItem, Verdict } from '../../shared/models/review'
import { decisionAt } from '../../shared/review/threshold-stats'

const HEADER = ['rank', 'image_path', 'score', 'label', 'defect_type', 'decision', 'verdict', 'reviewer', 'verdict_at']

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return ''
  const s = String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Decision of a score under the chosen threshold and its review band. */
export function decision(score: number, t: ChosenThreshold): 'fail' | 'review' | 'pass' {
  return decisionAt(score, t.value, t.review)
}

/** One row per image, worst first; `score` is the workspace's value written with JavaScript's round-trip formatting. */
export function reviewCsv(items: readonly ReviewItem[], verdicts: readonly Verdict[], threshold: ChosenThreshold): string {
  const byPath = new Map(verdicts.map((v) => [v.imagePath, v]))
  const rows = [...items].sort((a, b) => b.score - a.score || a.index - b.index).map((x, i) => {
    const v = byPath.get(x.path)
    return [i + 1, x.path, x.score, x.label, x.defectType, decision(x.score, threshold), v?.verdict, v?.reviewer, v?.at].map(cell).join(',')
  })
  return [HEADER.join(','), ...rows].join('\r\n') + '\r\n'
}
