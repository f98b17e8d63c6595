// Detects a folder's layout and lists its samples; the one entry point for data sets.
import { isDir } from './list-files'
import { isMvtecCategory, mvtecCategories, readMvtecCategory, resolveMvtecDir } from './mvtec-layout'
import { findVisaRoot, readVisa } from './visa-layout'
import { isPlainLayout, readPlain } from './plain-layout'
import { DatasetError, type Dataset, type LayoutName, type Sample } from './types'

/** Options for reading a data set; `layout` skips detection. */
export interface ReadOptions {
  category?: string
  layout?: LayoutName
}

const EXPECTED =
  'Expected one of: MVTec AD / MPDD (train/good, test/<type>, ground_truth/<type>/<name>_mask.png), ' +
  'VisA (split_csv/1cls.csv with <category>/Data/Images), or plain (good/ with optional defect/ and masks/).'

/** Which layout a folder has, or null. */
export async function detectLayout(dir: string): Promise<LayoutName | null> {
  if ((await isMvtecCategory(dir)) || (await mvtecCategories(dir)).length > 0) return 'mvtec'
  if (await findVisaRoot(dir)) return 'visa'
  if (await isPlainLayout(dir)) return 'plain'
  return null
}

/** Lists a data set folder. Throws DatasetError for unknown layouts, empty splits and structural errors. */
export async function readDataset(dir: string, opts: ReadOptions = {}): Promise<Dataset> {
  if (!(await isDir(dir))) throw new DatasetError(`${dir} is not a folder. Choose the folder that holds the data set.`, [], 'not-found')
  const layout = opts.layout ?? (await detectLayout(dir))
  switch (layout) {
    case 'mvtec':
    case 'mpdd': {
      const { dir: catDir, category } = await resolveMvtecDir(dir, opts.category)
      return readMvtecCategory(catDir, layout, category ?? opts.category)
    }
    case 'visa': {
      const found = await findVisaRoot(dir)
      if (!found) throw new DatasetError(`${dir} has no split_csv/1cls.csv. ${EXPECTED}`)
      return readVisa(found.root, opts.category ?? found.category)
    }
    case 'plain':
      return readPlain(dir)
    default:
      throw new DatasetError(`${dir} is not a data set folder I recognise. ${EXPECTED}`)
  }
}

/** The good images of the training split (what PBAS trains on). */
export function goodTrainingSamples(ds: Dataset): Sample[] {
  return ds.samples.filter((s) => s.split === 'train' && s.label === 'good')
}
