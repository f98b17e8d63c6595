// The kept-patches source hands training exactly the inspected patches' rows, per image and per batch.
import { describe, expect, it } from 'vitest'
import { KeptPatches } from './kept-patches'
import { BatchReader, type FeatureSource } from './feature-source'

const P = 6
const D = 2
// image i, patch p, channel d -> 100 i + 10 p + d
const rows = (i: number) => Float32Array.from({ length: P * D }, (_, k) => 100 * i + 10 * Math.floor(k / D) + (k % D))
const source = (batch: boolean): FeatureSource => ({
  length: 3,
  get: async (i) => rows(i),
  ...(batch ? { readBatch: async (idx: readonly number[], into: Float32Array, per: number) => idx.forEach((i, k) => into.set(rows(i), k * per)) } : {}),
})

describe('KeptPatches', () => {
  for (const batch of [true, false])
    it(`reads only the kept rows, in order (${batch ? 'batch reads' : 'one image at a time'})`, async () => {
      const kept = new KeptPatches(source(batch), Int32Array.from([1, 4, 5]), P, D)
      expect(Array.from(await kept.get(2))).toEqual([210, 211, 240, 241, 250, 251])
      const reader = new BatchReader(kept, 3 * D, 2)
      expect(Array.from(await reader.read([0, 2]))).toEqual([10, 11, 40, 41, 50, 51, 210, 211, 240, 241, 250, 251])
      expect(Array.from(await reader.read([1]))).toEqual([110, 111, 140, 141, 150, 151])
    })

  it('refuses a batch of another width', async () => {
    const kept = new KeptPatches(source(true), Int32Array.from([0]), P, D)
    await expect(kept.readBatch([0], new Float32Array(4), 4)).rejects.toThrow(/1 kept patches of 2 values/)
  })
})
