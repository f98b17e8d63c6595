// ROC and precision-recall curves of image scores, as [x, y] points for charts and reports.
import { sweep } from '../metrics/ranking'

function thin(points: [number, number][], max: number): [number, number][] {
  if (points.length <= max) return points
  const step = (points.length - 1) / (max - 1)
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)])
}

/** ROC ([false-positive rate, true-positive rate]) and PR ([recall, precision]) curves; null without both classes. */
export function imageCurves(scores: Float32Array, labels: ArrayLike<number>, maxPoints = 200): { roc: [number, number][]; pr: [number, number][] } | null {
  const s = sweep(scores, (i) => labels[i] > 0)
  if (s.positives === 0 || s.negatives === 0) return null
  const roc: [number, number][] = [[0, 0]]
  const pr: [number, number][] = []
  for (let k = 0; k < s.tp.length; k++) {
    roc.push([s.fp[k] / s.negatives, s.tp[k] / s.positives])
    pr.push([s.tp[k] / s.positives, s.tp[k] / (s.tp[k] + s.fp[k])])
  }
  return { roc: thin(roc, maxPoints), pr: thin(pr, maxPoints) }
}
