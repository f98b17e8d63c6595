// The rule for reviewer-confirmed good images joining a product's training set, in one place for the app and the pipeline.
import { resolve } from 'node:path'
import type { Sample } from './types'

/** Why an image may not join training; the app shows it beside the image. */
export const TEST_SPLIT_REFUSAL = "it belongs to a data set's test split (it would leak into training and flatter the metrics)"
export const ALREADY_TRAINING = 'it is already a training image of this product'

/**
 * Sorts candidate additions against the product's data sets: a test-split image never joins training, a listed
 * training image need not. Paths are compared resolved; duplicates count once.
 */
export function sortAdditions(samples: readonly Sample[], paths: readonly string[]): { accepted: string[]; refused: { path: string; reason: string }[] } {
  const test = new Set(samples.filter((s) => s.split === 'test').map((s) => resolve(s.path)))
  const train = new Set(samples.filter((s) => s.split !== 'test').map((s) => resolve(s.path)))
  const accepted: string[] = []
  const refused: { path: string; reason: string }[] = []
  for (const path of new Set(paths.map((p) => resolve(p)))) {
    if (test.has(path)) refused.push({ path, reason: TEST_SPLIT_REFUSAL })
    else if (train.has(path)) refused.push({ path, reason: ALREADY_TRAINING })
    else accepted.push(path)
  }
  return { accepted, refused }
}
