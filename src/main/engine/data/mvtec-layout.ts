// MVTec AD (and MPDD) layout: <cat>/train/good, <cat>/test/<type>, <cat>/ground_truth/<type>/<stem>_mask.png.
import { join } from 'node:path'
import { isDir, leftOutWarnings, listDirs, listImages, stem, type LeftOutEntry } from './list-files'
import { DatasetError, type Dataset, type DatasetProblem, type Sample } from './types'

/** True when `dir` is one MVTec-style category (has train/good). */
export async function isMvtecCategory(dir: string): Promise<boolean> {
  return isDir(join(dir, 'train', 'good'))
}

/** Category folders below a root that holds several MVTec-style categories. */
export async function mvtecCategories(root: string): Promise<string[]> {
  const out: string[] = []
  for (const d of await listDirs(root)) if (await isMvtecCategory(join(root, d))) out.push(d)
  return out
}

/** Lists one MVTec-style category folder. */
export async function readMvtecCategory(dir: string, layout: 'mvtec' | 'mpdd', category?: string): Promise<Dataset> {
  const problems: DatasetProblem[] = []
  const samples: Sample[] = []
  const leftOut: LeftOutEntry[] = []
  for (const path of await listImages(join(dir, 'train', 'good'), leftOut)) samples.push({ path, split: 'train', label: 'good', defectType: 'good' })
  const testDir = join(dir, 'test')
  const gtDir = join(dir, 'ground_truth')
  const types = (await isDir(testDir)) ? await listDirs(testDir) : []
  for (const type of types) {
    const images = await listImages(join(testDir, type), leftOut)
    if (images.length === 0) problems.push({ severity: 'warning', path: join(testDir, type), message: 'folder has no images' })
    if (type === 'good') {
      for (const path of images) samples.push({ path, split: 'test', label: 'good', defectType: 'good' })
      continue
    }
    const masks = (await isDir(join(gtDir, type))) ? await listImages(join(gtDir, type), leftOut) : []
    const byStem = new Map(masks.map((m) => [stem(m).replace(/_mask$/, ''), m]))
    for (const path of images) {
      const maskPath = byStem.get(stem(path))
      byStem.delete(stem(path))
      if (!maskPath)
        problems.push({ severity: 'error', path, message: `no mask; expected ${join(gtDir, type, stem(path) + '_mask.png')}` })
      samples.push({ path, split: 'test', label: 'defect', defectType: type, maskPath })
    }
    for (const stray of byStem.values()) problems.push({ severity: 'warning', path: stray, message: 'mask has no matching test image' })
  }
  if (!samples.some((s) => s.split === 'train'))
    throw new DatasetError(`No training images in ${join(dir, 'train', 'good')}: add photos of good parts there.`, leftOutWarnings(leftOut))
  problems.push(...leftOutWarnings(leftOut))
  return { root: dir, layout, category, samples, problems }
}

/** Resolves which category folder to read: the folder itself, or `category` below it, or its only category. */
export async function resolveMvtecDir(root: string, category?: string): Promise<{ dir: string; category?: string }> {
  if (category) {
    const dir = join(root, category)
    if (await isMvtecCategory(dir)) return { dir, category }
    if ((await isMvtecCategory(root)) && root.replace(/\/+$/, '').endsWith('/' + category)) return { dir: root, category }
    const found = await mvtecCategories(root)
    throw new DatasetError(
      `No category '${category}' with train/good in ${root}.` + (found.length ? ` Categories found: ${found.join(', ')}.` : ''),
    )
  }
  if (await isMvtecCategory(root)) return { dir: root }
  const found = await mvtecCategories(root)
  if (found.length === 1) return { dir: join(root, found[0]), category: found[0] }
  throw new DatasetError(`${root} holds several categories (${found.join(', ')}); choose one with --category.`)
}
