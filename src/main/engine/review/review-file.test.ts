import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ReviewSummary } from '../../../shared/models/review'
import { readReviewFile, readReviewSummary, REVIEW_FORMAT_VERSION, ReviewFileError, writeReviewSummary } from './review-file'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbas-review-file-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const threshold = { mode: 'f1-max' as const, value: 0.5, achieved: 0.9 }
const summary: ReviewSummary = {
  formatVersion: REVIEW_FORMAT_VERSION, createdAt: '2026-12-05T08:00:00Z', source: { data: '/d', kind: 'folder' }, imageSize: 64,
  mapRange: { lo: 0, hi: 1 }, metrics: null, skipped: [], curves: null,
  thresholds: { model: { default: threshold, band: { review: 0.4, fail: 0.5 }, source: 'held-out good images' }, f1: null },
  items: [{ index: 0, path: '/d/a.png', score: 0.3, label: null, defectType: null, hasMask: false, nearestPath: null }],
}

describe('review.json', () => {
  it('reads back what it writes; the summary comes without items', async () => {
    await writeReviewSummary(dir, summary)
    expect(await readReviewFile(dir)).toEqual(summary)
    expect(await readReviewSummary(dir)).not.toHaveProperty('items')
  })

  it('refuses damaged, foreign and newer files with the file and the field named', async () => {
    const file = join(dir, 'review.json')
    const cases: [unknown, RegExp][] = [
      [{ ...summary, items: [{ ...summary.items[0], score: 'high' }] }, /review\.json .*items\.0\.score/],
      [{ ...summary, mapRange: null }, /review\.json .*mapRange/],
      [[1, 2, 3], /review\.json is not a review/],
      [{ ...summary, formatVersion: 7 }, /newer PBAS Inspect \(review format 7/],
    ]
    for (const [content, message] of cases) {
      await writeFile(file, JSON.stringify(content))
      await expect(readReviewFile(dir)).rejects.toThrow(message)
      await expect(readReviewFile(dir)).rejects.toBeInstanceOf(ReviewFileError)
    }
    await writeFile(file, '{"formatVersion": 1, ')
    await expect(readReviewFile(dir)).rejects.toThrow(/review\.json is damaged/)
    await expect(readReviewFile(join(dir, 'nowhere'))).rejects.toThrow(/nowhere\/review\.json cannot be read/)
  })
})
