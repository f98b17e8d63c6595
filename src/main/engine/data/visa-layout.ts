// VisA layout: split_csv/1cls.csv listing <cat>/Data/Images/... and <cat>/Data/Masks/... paths.
import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { isDir, isFile, byName } from './list-files'
import { DatasetError, type Dataset, type DatasetProblem, type Sample } from './types'

export const VISA_CSV = join('split_csv', '1cls.csv')

/** Finds the VisA root for `dir` (the root itself, or a category folder inside it). */
export async function findVisaRoot(dir: string): Promise<{ root: string; category?: string } | null> {
  if (await isFile(join(dir, VISA_CSV))) return { root: dir }
  const parent = dirname(dir)
  if ((await isDir(join(dir, 'Data', 'Images'))) && (await isFile(join(parent, VISA_CSV)))) return { root: parent, category: basename(dir) }
  return null
}

function parseCsv(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map((c) => c.trim()))
}

/** Lists one VisA category. */
export async function readVisa(root: string, category?: string): Promise<Dataset> {
  const csvPath = join(root, VISA_CSV)
  const rows = parseCsv(await readFile(csvPath, 'utf8'))
  const header = rows.shift() ?? []
  const col = (name: string) => {
    const i = header.indexOf(name)
    if (i < 0) throw new DatasetError(`${csvPath} has no '${name}' column; expected the header object,split,label,image,mask.`)
    return i
  }
  const [cObj, cSplit, cLabel, cImage, cMask] = ['object', 'split', 'label', 'image', 'mask'].map(col)
  const objects = [...new Set(rows.map((r) => r[cObj]))].sort(byName)
  if (!category) {
    if (objects.length !== 1) throw new DatasetError(`${root} holds several VisA categories (${objects.join(', ')}); choose one with --category.`)
    category = objects[0]
  } else if (!objects.includes(category)) {
    throw new DatasetError(`No category '${category}' in ${csvPath}. Categories found: ${objects.join(', ')}.`)
  }
  const problems: DatasetProblem[] = []
  const samples: Sample[] = []
  for (const r of rows.filter((row) => row[cObj] === category)) {
    const split = r[cSplit] === 'train' ? 'train' : r[cSplit] === 'test' ? 'test' : null
    const path = join(root, r[cImage])
    if (!split) {
      problems.push({ severity: 'error', path: csvPath, message: `row for ${r[cImage]} has split '${r[cSplit]}', expected train or test` })
      continue
    }
    const defect = r[cLabel] === 'anomaly'
    const sample: Sample = { path, split, label: defect ? 'defect' : 'good', defectType: defect ? 'anomaly' : 'good' }
    if (defect) {
      if (r[cMask]) sample.maskPath = join(root, r[cMask])
      else problems.push({ severity: 'error', path, message: `no mask listed in ${csvPath}` })
      if (split === 'train') problems.push({ severity: 'warning', path, message: 'defective image in the training split; it will be ignored for training' })
    }
    if (!(await isFile(path))) problems.push({ severity: 'error', path, message: `listed in ${csvPath} but missing` })
    samples.push(sample)
  }
  samples.sort((a, b) => byName(a.path, b.path))
  if (!samples.some((s) => s.split === 'train' && s.label === 'good'))
    throw new DatasetError(`No good training images for '${category}' in ${csvPath}.`)
  return { root, layout: 'visa', category, samples, problems }
}
