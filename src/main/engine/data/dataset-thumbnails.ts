// A few thumbnails of each defect type and split of a data set, for the import screen (decoded in the engine worker).
import { thumbnailDataUrl } from '../image/thumbnail'
import { throwIfCancelled, type JobOptions } from '../util/job'
import { readDataset } from './read-dataset'

/** One thumbnail: where the image is, what it is, and a JPEG data URL. */
export interface DatasetThumbnail {
  defectType: string
  split: string
  path: string
  url: string
}

/** Up to `perType` thumbnails of each (defect type, split) of the data set at `dir`. */
export async function datasetThumbnails(dir: string, category: string | undefined, perType: number, opts: JobOptions = {}): Promise<DatasetThumbnail[]> {
  const ds = await readDataset(dir, { category })
  const picked: { defectType: string; split: string; path: string }[] = []
  for (const s of ds.samples) if (picked.filter((p) => p.defectType === s.defectType && p.split === s.split).length < perType) picked.push(s)
  const out: DatasetThumbnail[] = []
  for (const p of picked) {
    throwIfCancelled(opts.signal)
    out.push({ defectType: p.defectType, split: p.split, path: p.path, url: await thumbnailDataUrl(p.path) })
  }
  return out
}
