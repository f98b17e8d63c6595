// Plain layout for a quality engineer's own photos: good/ [defect/ or defect/<type>/] [masks/].
import { join } from 'node:path'
import { isDir, leftOutWarnings, listDirs, listImages, stem, type LeftOutEntry } from './list-files'
import { DatasetError, type Dataset, type DatasetProblem, type Sample } from './types'

/** True when `dir` has a good/ folder. */
export async function isPlainLayout(dir: string): Promise<boolean> {
  return isDir(join(dir, 'good'))
}

/**
 * Lists a plain folder: every image in good/ trains; images in defect/ (or its sub-folders, one per defect
 * type) are labelled test images; masks/<stem>.png or masks/<stem>_mask.png mark where the defect is.
 */
export async function readPlain(dir: string): Promise<Dataset> {
  const problems: DatasetProblem[] = []
  const leftOut: LeftOutEntry[] = []
  const samples: Sample[] = (await listImages(join(dir, 'good'), leftOut)).map((path) => ({ path, split: 'train', label: 'good', defectType: 'good' }))
  if (samples.length === 0) throw new DatasetError(`No images in ${join(dir, 'good')}: put photos of good parts there.`, leftOutWarnings(leftOut))
  const defectDir = join(dir, 'defect')
  const maskDir = join(dir, 'masks')
  const masks = (await isDir(maskDir)) ? await listImages(maskDir, leftOut) : []
  const byStem = new Map(masks.map((m) => [stem(m).replace(/_mask$/, ''), m]))
  if (await isDir(defectDir)) {
    const groups: [string, string[]][] = [['defect', await listImages(defectDir, leftOut)]]
    for (const t of await listDirs(defectDir)) groups.push([t, await listImages(join(defectDir, t), leftOut)])
    for (const [type, images] of groups)
      for (const path of images) {
        const maskPath = byStem.get(stem(path))
        byStem.delete(stem(path))
        samples.push({ path, split: 'test', label: 'defect', defectType: type, maskPath })
      }
    const withMask = samples.filter((s) => s.maskPath).length
    const defects = samples.filter((s) => s.label === 'defect')
    // Masks are optional, but a partial set is almost always a naming mistake.
    if (withMask > 0 && withMask < defects.length)
      for (const s of defects.filter((d) => !d.maskPath))
        problems.push({ severity: 'error', path: s.path, message: `no mask; expected ${join(maskDir, stem(s.path) + '.png')} like the others` })
  }
  for (const stray of byStem.values()) problems.push({ severity: 'warning', path: stray, message: 'mask has no matching defect image' })
  problems.push(...leftOutWarnings(leftOut))
  return { root: dir, layout: 'plain', samples, problems }
}
