// A review folder's layout and review.json: the one owner (names, schema, read, write). Evaluations and the station's queue write through it.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { ReviewSummary } from '../../../shared/models/review'
import type { ModelMeta } from '../model/model-meta'
import { writeFileAtomic } from '../util/atomic-write'
import { InputError } from '../util/errors'

/** review.json's format version (bumped when a field's meaning changes). */
export const REVIEW_FORMAT_VERSION = 1

/** File names inside a review folder, by image index. */
export const reviewFiles = {
  summary: 'review.json',
  image: (i: number) => join('images', `${i}.jpg`),
  map: (i: number) => join('maps', `${i}.png`),
  mask: (i: number) => join('masks', `${i}.png`),
  thumb: (i: number) => join('thumbs', `${i}.jpg`),
}

/** The sub-folders a review folder's pictures go into. */
export const REVIEW_SUBDIRS = ['images', 'maps', 'masks', 'thumbs'] as const

const finite = z.number().refine(Number.isFinite, 'a finite number')
const problem = z.object({ path: z.string(), message: z.string() })
const threshold = z.object({ mode: z.enum(['f1-max', 'fpr', 'manual']), value: finite, achieved: z.number() })
const metric = z.number().nullable()
/** A nested record the engine only passes on (calibration, drift check): an object, its fields are its writer's. */
const record = z.custom<object>((v) => !!v && typeof v === 'object' && !Array.isArray(v), 'expected an object')

/** An evaluation's metrics (review.json and the workspace store them). */
export const reviewMetricsSchema = z.object({ image_auroc: metric, image_ap: metric, pixel_auroc: metric, pixel_ap: metric, pixel_pro: metric, images_per_second: z.number() })

/** review.json as the readers rely on it (nested records the engine only passes on, such as the calibration, are checked as objects). */
export const reviewSummarySchema = z.object({
  formatVersion: z.literal(REVIEW_FORMAT_VERSION),
  createdAt: z.string(),
  source: z.object({ data: z.string(), category: z.string().optional(), kind: z.enum(['test-split', 'folder']) }),
  imageSize: z.int().positive(),
  mapRange: z.object({ lo: finite, hi: finite }),
  metrics: reviewMetricsSchema.nullable(),
  skipped: z.array(problem),
  maskProblems: z.array(problem).optional(),
  drift: record.nullable().optional(),
  curves: z.object({ roc: z.array(z.tuple([z.number(), z.number()])), pr: z.array(z.tuple([z.number(), z.number()])) }).nullable(),
  thresholds: z.object({
    model: z.object({ default: threshold, band: z.object({ review: finite, fail: finite }), source: z.string(), calibration: record.optional(), revision: z.int().optional() }),
    f1: threshold.nullable(),
  }),
  items: z.array(z.object({
    index: z.int().nonnegative(), path: z.string(), score: z.number(), label: z.enum(['good', 'defect']).nullable(),
    defectType: z.string().nullable(), hasMask: z.boolean(), nearestPath: z.string().nullable(),
  })),
})

// What the engine writes must pass its own schema: the compiler holds the schema to the shared type.
type Written = z.input<typeof reviewSummarySchema>
const _writesPass = (s: ReviewSummary): Written => s
void _writesPass

/** A review folder that cannot be read; the message names the file and what to do. */
export class ReviewFileError extends InputError {}

/** Checks parsed review.json; unknown or damaged content is refused with the file and the first bad field. */
export function validateReviewSummary(raw: unknown, file: string): ReviewSummary {
  const v = raw && typeof raw === 'object' ? (raw as { formatVersion?: unknown }).formatVersion : undefined
  if (typeof v === 'number' && v > REVIEW_FORMAT_VERSION)
    throw new ReviewFileError(`${file} was written by a newer PBAS Inspect (review format ${v}, this version reads ${REVIEW_FORMAT_VERSION}); update PBAS Inspect.`)
  const r = reviewSummarySchema.safeParse(raw)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new ReviewFileError(`${file} is not a review this version can read: ${i.path.join('.') || 'the file'}: ${i.message}. Evaluate the folder again to rewrite it.`)
  }
  return raw as ReviewSummary
}

/** Reads and checks a review folder's review.json. */
export async function readReviewFile(dir: string): Promise<ReviewSummary> {
  const file = join(dir, reviewFiles.summary)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ReviewFileError(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); evaluate the folder again.`, 'not-found')
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new ReviewFileError(`${file} is damaged (${(err as Error).message}); evaluate the folder again to rewrite it.`)
  }
  return validateReviewSummary(raw, file)
}

/** A review folder's summary without its per-image items (the workspace holds those, with verdicts). */
export async function readReviewSummary(dir: string): Promise<Omit<ReviewSummary, 'items'>> {
  const { items: _items, ...summary } = await readReviewFile(dir)
  return summary
}

/** Writes review.json into a review folder atomically (temp + rename). */
export function writeReviewSummary(dir: string, summary: ReviewSummary): Promise<void> {
  return writeFileAtomic(join(dir, reviewFiles.summary), JSON.stringify(summary))
}

/** The model's own thresholds, the calibration behind them and its revision, as review.json records them. */
export function reviewThresholds(meta: ModelMeta): ReviewSummary['thresholds']['model'] {
  const t = meta.thresholds
  return { default: t.default, band: t.band, source: t.source, calibration: t.calibration, revision: meta.calibrations?.active }
}
