// Which images an evaluation scores: a data set's test split, or every image of a plain folder (unlabelled).
import { isDir, listImages } from '../data/list-files'
import { detectLayout, readDataset } from '../data/read-dataset'
import type { Sample } from '../data/types'
import { InputError } from '../util/errors'

/** Samples to score; labels come from the layout when the folder is a data set. */
export async function reviewSamples(dir: string, category?: string): Promise<{ kind: 'test-split' | 'folder'; labelled: boolean; samples: Sample[] }> {
  if (!(await isDir(dir))) throw new InputError(`${dir} is not a folder; choose the folder that holds the images to evaluate`, 'not-found')
  if (await detectLayout(dir)) {
    const ds = await readDataset(dir, { category })
    const test = ds.samples.filter((s) => s.split === 'test')
    if (test.length > 0) return { kind: 'test-split', labelled: true, samples: test }
  }
  const images = await listImages(dir)
  if (images.length === 0) throw new InputError(`${dir} holds no images (png, jpg, bmp, tif) and no test split; choose a folder of part photos`)
  // Unlabelled: Sample needs a label, so 'good' stands in; `labelled: false` tells the review to show none.
  return { kind: 'folder', labelled: false, samples: images.map((path) => ({ path, split: 'test', label: 'good', defectType: 'unlabelled' })) }
}
