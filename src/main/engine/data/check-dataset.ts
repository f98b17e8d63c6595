// Job: reads every image and mask header of a data set and summarises counts, sizes and problems.
import { verifyImage } from '../image/open-image'
import { EtaTracker, throwIfCancelled, type JobOptions } from '../util/job'
import { byName } from './list-files'
import { readDataset, type ReadOptions } from './read-dataset'
import type { Dataset, DatasetProblem } from './types'
import type { DatasetSummary, SplitCount } from '../../../shared/models/dataset-summary'

/** Counts samples per split and defect type, train first, 'good' first within a split. */
export function countSamples(ds: Dataset): SplitCount[] {
  const map = new Map<string, SplitCount>()
  for (const s of ds.samples) {
    const key = `${s.split}\u0000${s.defectType}`
    const c = map.get(key) ?? { split: s.split, defectType: s.defectType, images: 0, masks: 0 }
    c.images++
    if (s.maskPath) c.masks++
    map.set(key, c)
  }
  const rank = (c: SplitCount) => (c.split === 'train' ? 0 : 2) + (c.defectType === 'good' ? 0 : 1)
  return [...map.values()].sort((a, b) => rank(a) - rank(b) || byName(a.defectType, b.defectType))
}

/** Sides below this are too small for the backbone's patch grid to see anything. */
const TINY = 32
/** Images above this many pixels decode slowly and are downscaled so far that fine defects vanish. */
const HUGE = 40e6

/** Warnings for tiny, huge and mixed image sizes (they train, but rarely as the user expects). */
function sizeWarnings(sizes: Map<string, number>): DatasetProblem[] {
  const out: DatasetProblem[] = []
  const dims = [...sizes.entries()].map(([k, n]) => ({ k, n, w: Number(k.split('x')[0]), h: Number(k.split('x')[1]) }))
  for (const d of dims) {
    if (Math.min(d.w, d.h) < TINY) out.push({ severity: 'warning', path: `${d.n} image(s)`, message: `${d.k} pixels is too small to inspect (under ${TINY} px); use the camera's full-resolution images` })
    if (d.w * d.h > HUGE) out.push({ severity: 'warning', path: `${d.n} image(s)`, message: `${d.k} pixels is very large; it is downscaled to the model's input size, so defects smaller than about ${Math.round(Math.max(d.w, d.h) / 64)} px may vanish (crop to the part first)` })
  }
  if (dims.length > 1) out.push({ severity: 'warning', path: 'image sizes', message: `the images come in ${dims.length} sizes (${dims.map((d) => `${d.k}: ${d.n}`).join(', ')}); each is resized to the same input, so parts appear at different scales` })
  return out
}

/**
 * Lists the data set, opens every image (and mask) header, and returns the summary the CLI prints and
 * the app shows on import. Unreadable files and masks whose size differs from their image are errors.
 */
export async function checkDataset(dir: string, read: ReadOptions = {}, opts: JobOptions = {}): Promise<DatasetSummary> {
  const ds = await readDataset(dir, read)
  const problems: DatasetProblem[] = [...ds.problems]
  const sizes = new Map<string, number>()
  const eta = new EtaTracker('check', ds.samples.length)
  let done = 0
  for (const s of ds.samples) {
    throwIfCancelled(opts.signal)
    try {
      // A full decode, not only the header: a truncated file must not be called ready and then stop training.
      const info = await verifyImage(s.path)
      sizes.set(`${info.width}x${info.height}`, (sizes.get(`${info.width}x${info.height}`) ?? 0) + 1)
      if (s.maskPath) {
        try {
          const m = { info: await verifyImage(s.maskPath) }
          if (m.info.width !== info.width || m.info.height !== info.height)
            problems.push({
              severity: 'error',
              path: s.maskPath,
              message: `mask is ${m.info.width}x${m.info.height} but its image ${s.path} is ${info.width}x${info.height}; masks must have their image's size`,
            })
        } catch (err) {
          problems.push({ severity: 'error', path: s.maskPath, message: (err as Error).message })
        }
      }
    } catch (err) {
      problems.push({ severity: 'error', path: s.path, message: (err as Error).message })
    }
    if (++done % 25 === 0 || done === ds.samples.length) opts.onProgress?.(eta.update(done))
  }
  problems.push(...sizeWarnings(sizes))
  const counts = countSamples(ds)
  const sum = (f: (c: SplitCount) => boolean) => counts.filter(f).reduce((a, c) => a + c.images, 0)
  return {
    root: ds.root,
    layout: ds.layout,
    category: ds.category,
    counts,
    trainGood: sum((c) => c.split === 'train' && c.defectType === 'good'),
    testGood: sum((c) => c.split === 'test' && c.defectType === 'good'),
    testDefect: sum((c) => c.split === 'test' && c.defectType !== 'good'),
    defectTypes: counts.filter((c) => c.split === 'test' && c.defectType !== 'good').map((c) => c.defectType),
    imageSizes: [...sizes.entries()]
      .map(([k, count]) => {
        const [width, height] = k.split('x').map(Number)
        return { width, height, count }
      })
      .sort((a, b) => b.count - a.count),
    problems,
    ok: !problems.some((p) => p.severity === 'error'),
  }
}

/** Human-readable summary, as `pbas dataset check` prints it. */
export function formatSummary(s: DatasetSummary): string {
  const lines = [`Data set: ${s.root}`, `Layout:   ${s.layout}${s.category ? ` (category ${s.category})` : ''}`, '']
  lines.push('split  type                 images  masks')
  for (const c of s.counts) lines.push(`${c.split.padEnd(6)} ${c.defectType.padEnd(20)} ${String(c.images).padStart(6)} ${String(c.masks).padStart(6)}`)
  lines.push('')
  lines.push(`train good: ${s.trainGood}   test good: ${s.testGood}   test defective: ${s.testDefect} in ${s.defectTypes.length} type(s)${s.defectTypes.length ? ': ' + s.defectTypes.join(', ') : ''}`)
  lines.push(`image sizes: ${s.imageSizes.map((z) => `${z.width}x${z.height} (${z.count})`).join(', ')}`)
  const errors = s.problems.filter((p) => p.severity === 'error')
  const warnings = s.problems.filter((p) => p.severity === 'warning')
  lines.push(`problems: ${errors.length} error(s), ${warnings.length} warning(s)`)
  for (const p of s.problems) lines.push(`  ${p.severity === 'error' ? 'ERROR' : 'warn '} ${p.path}: ${p.message}`)
  lines.push(s.ok ? 'OK: ready for training.' : 'NOT READY: fix the errors above, then check again.')
  return lines.join('\n')
}
