// review.json: the one reader of a review folder's summary (the writer is write-review.ts).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReviewSummary } from '../../../shared/models/review'
import { reviewFiles } from '../pipeline/write-review'

/** A review folder's summary without its per-image items (the workspace holds those, with verdicts). */
export async function readReviewSummary(dir: string): Promise<Omit<ReviewSummary, 'items'>> {
  const { items: _items, ...summary } = JSON.parse(await readFile(join(dir, reviewFiles.summary), 'utf8')) as ReviewSummary
  return summary
}
