// The image score (Eq. 11): the largest patch score, the one rule calibration and inference both use.

/**
 * The largest of an image's patch scores. A score that is not a finite number is a fault (a damaged model or
 * input), never a verdict or a threshold: it throws, naming the image, at calibration and at inference alike.
 */
export function imageScore(patchScores: Float32Array, image: string): number {
  let max = -Infinity
  for (const v of patchScores) if (v > max || Number.isNaN(v)) max = v
  if (!Number.isFinite(max)) throw new Error(`the model produced a non-finite score (${max}) for ${image}; the model or the image is damaged`)
  return max
}
