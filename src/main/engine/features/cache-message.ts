// The progress line that says where the training feature cache is and how big it is.
import { featureFileBytes } from '../../../shared/pbas/feature-file'

/** e.g. "feature cache: /m.features, 209 images x 6.0 MiB = 1.26 GB on disk (12 reused), streamed per batch; removed after training" */
export function featureCacheMessage(dir: string, images: number, valuesPerImage: number, reused: number, temporary: boolean): string {
  const each = featureFileBytes(valuesPerImage)
  const total = images * each
  const size = total >= 1e9 ? `${(total / 1e9).toFixed(2)} GB` : `${(total / 1e6).toFixed(0)} MB`
  return (
    `feature cache: ${dir}, ${images} images x ${(each / 2 ** 20).toFixed(1)} MiB = ${size} on disk` +
    `${reused ? ` (${reused} reused)` : ''}, streamed per batch; ${temporary ? 'removed after training' : 'kept for the next run'}`
  )
}
