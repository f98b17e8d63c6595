// Scores samples batch by batch with their masks decoded once: the one loop behind `eval`, reviews and the demo.
import type { Sample } from '../data/types'
import { loadMask } from '../image/preprocess'
import { ImageReadError } from '../image/open-image'
import type { JobOptions } from '../util/job'
import { InputError } from '../util/errors'
import type { PbasModel, Prediction } from './predict'

/** One scored image with its ground-truth mask (null for good images, unlabelled folders and missing masks). */
export interface ScoredImage {
  sample: Sample
  prediction: Prediction
  mask: Uint8Array | null
}

/** Options: skip unreadable images (listed) instead of failing; hand each batch to `onBatch` (files, heat maps). */
export interface ScoreOptions extends JobOptions {
  skipUnreadable?: boolean
  /** read masks and keep maps for pixel metrics (labelled sets) */
  pixels?: boolean
  onBatch?: (batch: ScoredImage[]) => Promise<void>
}

/** Everything the metrics need, without the decoded images. */
export interface ScoredSet {
  /** the samples scored, in order (all of them unless unreadable ones were skipped) */
  samples: Sample[]
  scores: Float32Array
  verdicts: Prediction['verdict'][]
  /** 1 = defect */
  labels: number[]
  /** maps and masks of the images that can take part in pixel metrics (good images and defects with a readable mask) */
  pixels: { maps: Float32Array; masks: Uint8Array; n: number } | null
  /** defects whose mask is missing or unreadable (left out of pixel metrics), with the reason */
  maskProblems: { path: string; message: string }[]
  skipped: { path: string; message: string }[]
  seconds: number
}

/** Scores `samples` in batches; every image and mask file is decoded exactly once. */
export async function scoreSamples(model: PbasModel, samples: readonly Sample[], opts: ScoreOptions = {}): Promise<ScoredSet> {
  const t0 = Date.now()
  const size = model.meta.config.imageSize
  const hw = size * size
  const byPath = new Map(samples.map((s) => [s.path, s]))
  const skipped: ScoredSet['skipped'] = []
  const maskProblems: ScoredSet['maskProblems'] = []
  const scored: Sample[] = []
  const scores: number[] = []
  const verdicts: Prediction['verdict'][] = []
  const pixelMaps: Float32Array[] = []
  const pixelMasks: Uint8Array[] = []
  const onUnreadable = opts.skipUnreadable ? (path: string, err: Error) => void skipped.push({ path, message: err.message }) : undefined
  await model.predictEach(
    samples.map((s) => s.path),
    async (batch) => {
      const out: ScoredImage[] = []
      for (const p of batch) {
        const sample = byPath.get(p.path)!
        let mask: Uint8Array | null = null
        if (opts.pixels && sample.label === 'defect') {
          if (!sample.maskPath) maskProblems.push({ path: sample.path, message: 'no ground-truth mask' })
          else
            try {
              mask = await loadMask(sample.maskPath, { width: p.image.originalWidth, height: p.image.originalHeight }, model.preprocess)
            } catch (err) {
              if (!(err instanceof ImageReadError)) throw err
              maskProblems.push({ path: sample.maskPath, message: err.message })
            }
        }
        if (opts.pixels && (sample.label === 'good' || mask)) {
          pixelMaps.push(p.map)
          pixelMasks.push(mask ?? new Uint8Array(hw))
        }
        scored.push(sample)
        scores.push(p.score)
        verdicts.push(p.verdict)
        out.push({ sample, prediction: p, mask })
      }
      await opts.onBatch?.(out)
    },
    { signal: opts.signal, onProgress: opts.onProgress, onUnreadable },
  )
  if (scored.length === 0) throw new InputError(`none of the ${samples.length} images could be read; the first: ${skipped[0]?.message ?? 'no images given'}`)
  let pixels: ScoredSet['pixels'] = null
  if (pixelMaps.length && pixelMasks.some((m) => m.some((v) => v > 0))) {
    const maps = new Float32Array(pixelMaps.length * hw)
    const masks = new Uint8Array(pixelMaps.length * hw)
    pixelMaps.forEach((m, i) => maps.set(m, i * hw))
    pixelMasks.forEach((m, i) => masks.set(m, i * hw))
    pixels = { maps, masks, n: pixelMaps.length }
  }
  return {
    samples: scored,
    scores: Float32Array.from(scores),
    verdicts,
    labels: scored.map((s) => (s.label === 'defect' ? 1 : 0)),
    pixels,
    maskProblems,
    skipped,
    seconds: (Date.now() - t0) / 1000,
  }
}
