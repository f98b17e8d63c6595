import { describe, expect, it } from 'vitest'
import { lineChart } from './svg-charts'

describe('report line charts', () => {
  it('put epoch ticks on whole numbers (a 2-epoch run reads 1, 2; not 1.25, 1.50)', () => {
    const two = lineChart([{ name: 'loss', colour: '#0072B2', points: [[1, 0.9], [2, 0.7]] }], { xLabel: 'epoch', yLabel: 'loss', integerX: true })
    const xTicks = [...two.matchAll(/text-anchor="middle">([^<]+)<\/text>/g)].map((m) => m[1]).filter((t) => t !== 'epoch' && t !== 'loss')
    expect(xTicks).toEqual(['1', '2'])
    const many = lineChart([{ name: 'loss', colour: '#0072B2', points: [[1, 1], [40, 0.2]] }], { xLabel: 'epoch', yLabel: 'loss', integerX: true })
    const ticks = [...many.matchAll(/text-anchor="middle">([^<]+)<\/text>/g)].map((m) => m[1]).filter((t) => t !== 'epoch' && t !== 'loss')
    expect(ticks.every((t) => /^\d+$/.test(t))).toBe(true)
    expect(ticks.length).toBeLessThanOrEqual(6)
  })
})
