import { describe, expect, it } from 'vitest'
import { ArgumentError, parseInvokeArg } from './invoke-args'

describe('IPC argument schemas', () => {
  it('return the argument typed, unknown fields dropped', () => {
    expect(parseInvokeArg('stations:start', { runId: 'r', dir: '/line', sort: true, extra: 1 })).toEqual({ runId: 'r', dir: '/line', sort: true })
    expect(parseInvokeArg('app:info', null)).toBeUndefined()
  })

  it('name the field and what it must be, or the expected shape when the argument is not an object', () => {
    const refused = (channel: Parameters<typeof parseInvokeArg>[0], arg: unknown) => {
      try {
        parseInvokeArg(channel, arg)
      } catch (err) {
        expect(err).toBeInstanceOf(ArgumentError)
        return (err as Error).message
      }
      throw new Error('accepted')
    }
    expect(refused('datasets:check-start', null)).toBe('expected { dir, category? }')
    expect(refused('products:create', { name: ['x'] })).toBe('name must be a non-empty string')
    expect(refused('runs:start', { productId: 'p', datasetId: 'd', preset: 'fast' })).toMatch(/^preset must be one of /)
    expect(refused('evaluations:set-threshold', { evaluationId: 'e', threshold: { mode: 'fpr', value: 0.2, review: 0.5 } })).toBe('threshold.review the review band must start at or below the threshold')
    expect(refused('calibrations:start', { runId: 'r', dir: '/a', evaluationId: 'e' })).toMatch(/give either evaluationId .* or dir/)
    expect(refused('training:add-good', { productId: 'p', paths: [] })).toBe('paths must be a list of 1 to 500 image paths')
  })

  it('refuse a __proto__ key by name at any depth instead of dropping it', () => {
    const arg = JSON.parse('{"productId":"p","datasetId":"d","preset":"quick","overrides":{"__proto__":{"epochs":1}}}')
    expect(() => parseInvokeArg('runs:start', arg)).toThrow('overrides.__proto__ is not a name this request accepts')
  })
})
