import { describe, expect, it } from 'vitest'
import { groupByProblem, groupedHoldOut, groupKeys, holdOutSet, resolveGroupBy } from './hold-out-groups'

const identity = (n: number) => Array.from({ length: n }, (_, i) => i)
const reversed = (n: number) => identity(n).reverse()

describe('group hold-out', () => {
  const paths = ['a/1.png', 'a/2.png', 'a/3.png', 'b/1.png', 'b/2.png', 'c/1.png', 'c/2.png', 'c/3.png', 'c/4.png'].map((p) => `/data/train/good/${p}`)

  it('keys images by sub-folder, name pattern or capture session', () => {
    expect(groupKeys(paths.map((path) => ({ path })), 'folder', '/data/train/good')).toEqual(['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c', 'c'])
    const named = ['01_s3_x.png', '02_s3_y.png', '03_s9_z.png', 'other.png'].map((p) => ({ path: `/d/${p}` }))
    expect(groupKeys(named, 'name:_(s\\d)_', '/d')).toEqual(['s3', 's3', 's9', '(no match)'])
    const t0 = Date.UTC(2026, 0, 1)
    const timed = [0, 60_000, 3_600_000, 3_660_000, 30_000].map((dt, i) => ({ path: `/d/${i}.png`, mtimeMs: t0 + dt }))
    expect(groupKeys(timed, 'time:10', '/d')).toEqual(['session 1', 'session 1', 'session 2', 'session 2', 'session 1'])
  })

  it('holds out whole groups only, at least the wanted count, and always leaves a group to train on', () => {
    const keys = groupKeys(paths.map((path) => ({ path })), 'folder', '/data/train/good')
    const g = groupedHoldOut(keys, 2, 4, identity)
    // Group a (3 images) covers the 2 wanted; no group is split.
    expect([...g.held].sort()).toEqual([0, 1, 2])
    // c (4) fits under the cap of 4, b is then not needed.
    expect([...groupedHoldOut(keys, 3, 4, reversed).held].sort()).toEqual([5, 6, 7, 8])
    // A group that would pass the cap is skipped, not split (here that leaves fewer than wanted: b alone).
    expect([...groupedHoldOut(keys, 3, 3, reversed).held].sort()).toEqual([3, 4])
    // Wanting everything still trains on one group.
    expect(groupedHoldOut(keys, 9, 9, identity).heldGroups).toBe(2)
  })

  it('auto groups by folder only when the data set\'s images sit in two or more folders', () => {
    expect(resolveGroupBy('auto', paths)).toBe('folder')
    expect(resolveGroupBy('auto', ['/d/good/1.png', '/d/good/2.png', '/extra/3.png'], 2)).toBe('none')
    const flat = ['/d/good/1.png', '/d/good/2.png', '/d/good/3.png', '/d/good/4.png']
    expect(holdOutSet(flat, 4, 2, 'auto', '/d/good', [3, 1, 0, 2], identity)).toEqual({ held: new Set([3, 1]), message: null })
    expect(holdOutSet(paths, 9, 2, 'auto', '/data/train/good', identity(9), identity).message).toMatch(/^holding out 1 of 3 groups/)
  })

  it('says what is wrong with a --group-by value', () => {
    expect(groupByProblem('folder')).toBeNull()
    expect(groupByProblem('name:(')).toMatch(/not a regular expression/)
    expect(groupByProblem('time:0')).toMatch(/use none, auto, folder/)
  })
})
