// The photo a product's region is drawn on: its data set's first good training image, at its own resolution.
import type { ReviewPhoto } from '../../../shared/models/review'
import { reviewPhoto } from '../image/photo'
import { readImageSize } from '../image/open-image'
import { InputError } from '../util/errors'
import { goodTrainingSamples, readDataset } from './read-dataset'

/** A data set's reference photo, with its path and its size in photo pixels (before any display scaling). */
export interface ReferencePhoto {
  path: string
  photo: ReviewPhoto
  /** the photo's own size (the region's coordinates), exact even when `photo` was scaled down to be shown */
  width: number
  height: number
}

/** The first good training image of the data set at `dir` (a fixed camera: every photo shows the part in the same place). */
export async function referencePhoto(dir: string, category?: string): Promise<ReferencePhoto> {
  const ds = await readDataset(dir, { category })
  const first = goodTrainingSamples(ds)[0]
  if (!first) throw new InputError(`${dir} has no good training image to draw the region on; import a data set with good parts`)
  // The input window is irrelevant here (the editor draws on the whole photo); stretch makes it the whole photo.
  const { width, height } = await readImageSize(first.path)
  return { path: first.path, width, height, photo: await reviewPhoto(first.path, { fit: 'stretch', resize: 256, crop: 256 }) }
}
