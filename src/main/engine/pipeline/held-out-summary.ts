// The held-out good images' score figures after an epoch, which the converged stop rule watches.
import type { HeldOutSummary } from '../../../shared/pbas/stop-rule'
import type { FeatureSource } from '../features/feature-source'
import type { PbasConfig } from '../pbas/config'
import { centreRule } from '../pbas/config-helpers'
import { ScoringHead } from '../pbas/scoring-head'
import { throwIfCancelled } from '../util/job'
import type { EpochModel } from './train'

/** Scores in logits: the discriminator's sigmoid saturates, and equal steps in logits are equal shifts of its decision. */
const logit = (p: number) => {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p))
  return Math.log(q / (1 - q))
}

const quantile = (sorted: Float32Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

/** Every patch score of every image of `source` under the epoch's model (one array per image). */
export async function heldOutScores(model: EpochModel, source: FeatureSource, cfg: PbasConfig, signal?: AbortSignal): Promise<Float32Array[]> {
  const head = new ScoringHead({ ...model.params, centre: model.centre }, cfg.targetDim, cfg.scoring, centreRule(cfg))
  const out: Float32Array[] = []
  try {
    for (let i = 0; i < source.length; i++) {
      throwIfCancelled(signal)
      out.push(await head.score(await source.get(i)))
    }
  } finally {
    head.dispose()
  }
  return out
}

/** The rule's figures from the images' patch scores: image maxima and patch quantiles, in logits. */
export function heldOutSummary(scores: readonly Float32Array[]): HeldOutSummary {
  const images = Float32Array.from(scores, (s) => s.reduce((a, b) => (b > a ? b : a), -Infinity))
  const patches = new Float32Array(scores.reduce((a, c) => a + c.length, 0))
  let at = 0
  for (const c of scores) (patches.set(c, at), (at += c.length))
  patches.sort()
  images.sort()
  return {
    top: logit(images[images.length - 1]),
    imageMedian: logit(quantile(images, 0.5)),
    q50: logit(quantile(patches, 0.5)),
    q90: logit(quantile(patches, 0.9)),
    q99: logit(quantile(patches, 0.99)),
  }
}
