// Group hold-out: calibration images taken as whole groups (sub-folders, name patterns, capture sessions), never a random mix.
import { statSync } from 'node:fs'
import { basename, dirname, relative } from 'node:path'

/**
 * How good images are grouped for the hold-out: `none` (each image alone, a seeded random hold-out), `folder`
 * (the sub-folder an image sits in), `name:REGEX` (the regex's first capture group, or its whole match, on the
 * file name), `time:MINUTES` (capture sessions: a new one starts after a gap of more than MINUTES between file
 * times), or `auto` (`folder` when the images sit in two or more folders, else `none`).
 */
export type GroupBy = string

/** One image as grouping sees it. */
export interface GroupedImage {
  path: string
  /** modification time (ms), for `time:` */
  mtimeMs?: number
}

/** Checks a --group-by value; returns a message naming what is wrong, or null when it is usable. */
export function groupByProblem(by: GroupBy): string | null {
  if (by === 'none' || by === 'folder' || by === 'auto') return null
  if (by.startsWith('name:')) {
    try {
      new RegExp(by.slice(5))
      return null
    } catch (err) {
      return `--group-by ${by}: not a regular expression (${(err as Error).message})`
    }
  }
  if (by.startsWith('time:') && Number(by.slice(5)) > 0) return null
  return `--group-by ${by}: use none, auto, folder, name:REGEX or time:MINUTES`
}

/** `auto` made concrete: `folder` when the data set's own good images (the first `listed`) sit in two or more folders. */
export function resolveGroupBy(by: GroupBy, paths: readonly string[], listed = paths.length): GroupBy {
  if (by !== 'auto') return by
  return new Set(paths.slice(0, listed).map((p) => dirname(p))).size >= 2 ? 'folder' : 'none'
}

/** Each image's group key under `by` (root: the folder sub-folders are named relative to). */
export function groupKeys(images: readonly GroupedImage[], by: GroupBy, root: string): string[] {
  by = resolveGroupBy(by, images.map((im) => im.path))
  if (by === 'folder') return images.map((im) => relative(root, dirname(im.path)))
  if (by.startsWith('name:')) {
    const re = new RegExp(by.slice(5))
    return images.map((im) => {
      const m = re.exec(basename(im.path))
      return m ? (m[1] ?? m[0]) : '(no match)'
    })
  }
  if (by.startsWith('time:')) {
    const gap = Number(by.slice(5)) * 60_000
    const order = images.map((im, i) => ({ i, t: im.mtimeMs ?? 0 })).sort((a, b) => a.t - b.t)
    const keys = new Array<string>(images.length)
    let session = 0
    order.forEach((x, j) => {
      if (j > 0 && x.t - order[j - 1].t > gap) session++
      keys[x.i] = `session ${session + 1}`
    })
    return keys
  }
  return images.map((_, i) => `#${i}`)
}

/**
 * Indices to hold out: whole groups in `groupOrder` (a seeded shuffle of group indices), each taken if it
 * fits under `max`, until at least `want` images are held out. Training keeps every other group, so held-out
 * images differ from the training images the way a new session's parts do. At least one group always trains.
 */
export function groupedHoldOut(keys: readonly string[], want: number, max: number, groupOrder: (groups: number) => number[]): { held: Set<number>; groups: number; heldGroups: number } {
  const names = [...new Set(keys)]
  const members = names.map((n) => keys.flatMap((k, i) => (k === n ? [i] : [])))
  const held = new Set<number>()
  let heldGroups = 0
  for (const g of groupOrder(names.length)) {
    if (held.size >= want || heldGroups >= names.length - 1) break
    if (held.size + members[g].length > max) continue
    members[g].forEach((i) => held.add(i))
    heldGroups++
  }
  return { held, groups: names.length, heldGroups }
}

/**
 * The training pipeline's hold-out: `n` images from the seeded `order` when nothing groups them, else whole
 * groups (shuffled with the same seed), up to 30 % of the images. Returns the indices and a sentence saying how.
 */
export function holdOutSet(paths: readonly string[], listed: number, n: number, by: GroupBy, root: string, order: readonly number[], groupOrder: (groups: number) => number[]): { held: Set<number>; message: string | null } {
  const resolved = resolveGroupBy(by, paths, listed)
  if (resolved === 'none' || n === 0) return { held: new Set(order.slice(0, n)), message: null }
  const images = paths.map((path) => ({ path, mtimeMs: resolved.startsWith('time:') ? statSync(path).mtimeMs : undefined }))
  const keys = groupKeys(images, resolved, root)
  const g = groupedHoldOut(keys, n, Math.max(n, Math.floor(paths.length * 0.3)), groupOrder)
  if (g.groups < 2) return { held: new Set(order.slice(0, n)), message: `--group-by ${resolved}: the good images form one group, so the hold-out is a random one` }
  return { held: g.held, message: `holding out ${g.heldGroups} of ${g.groups} groups (--group-by ${resolved}): ${g.held.size} images, so calibration sees between-group variation` }
}
