import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { readWeights, checkStateDict, parseWeights, WeightsError } from './read-weights'
import { readReference, referencePath } from '../../../../test-support/shared'

type Expected = Record<string, { dtype: string; shape: number[]; data: number[] }>

describe('weight readers reproduce tiny.expected.json', () => {
  const expected = readReference<Expected>('weights/tiny.expected.json')
  for (const file of ['tiny.pth', 'tiny_legacy.pth', 'tiny.safetensors']) {
    it(file, async () => {
      const dict = await readWeights(referencePath('weights', file))
      expect([...dict.keys()].sort()).toEqual(Object.keys(expected).sort())
      for (const [name, want] of Object.entries(expected)) {
        const got = dict.get(name)!
        expect(got.shape, name).toEqual(want.shape)
        expect(got.dtype, name).toBe(want.dtype)
        expect(Array.from(got.data), name).toEqual(want.data.map((v) => (want.dtype === 'float32' ? Math.fround(v) : v)))
      }
    })
  }

  it('lists every missing and mis-shaped key', async () => {
    const dict = await readWeights(referencePath('weights/tiny.pth'))
    const need = new Map<string, number[]>([
      ['conv1.weight', [4, 3, 3, 3]],
      ['fc.weight', [6, 5]],
      ['layer9.weight', [1]],
      ['layer10.weight', [2]],
    ])
    expect(() => checkStateDict(dict, need, 'tiny.pth')).toThrow(/Missing keys \(2\): layer9.weight, layer10.weight/)
    expect(() => checkStateDict(dict, need, 'tiny.pth')).toThrow(/fc.weight: file has \[5, 6\], expected \[6, 5\]/)
  })

  it('rejects truncated files with a message naming them', () => {
    for (const file of ['tiny.pth', 'tiny_legacy.pth', 'tiny.safetensors']) {
      const buf = readFileSync(referencePath('weights', file))
      expect(() => parseWeights(buf.subarray(0, Math.floor(buf.length * 0.7)), file), file).toThrow(WeightsError)
      expect(() => parseWeights(buf.subarray(0, Math.floor(buf.length * 0.7)), file), file).toThrow(file)
    }
  })

  it('refuses pickles that would call arbitrary functions', () => {
    // protocol 2: GLOBAL os.system, then REDUCE with ('echo',)
    const evil = Buffer.from('\x80\x02cos\nsystem\nX\x04\x00\x00\x00echo\x85R.', 'latin1')
    expect(() => parseWeights(evil, 'evil.pth')).toThrow(/refusing to call os.system/)
  })
})
