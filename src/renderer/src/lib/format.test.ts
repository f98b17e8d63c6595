import { describe, expect, it } from 'vitest'
import { duration } from './format'

describe('duration', () => {
  it('reads as seconds, minutes and seconds, or hours and minutes, never "59m60s"', () => {
    expect(duration(null)).toBe('--')
    expect(duration(42.4)).toBe('42s')
    expect(duration(185)).toBe('3m05s')
    expect(duration(3599.6)).toBe('1h00m')
    expect(duration(5197)).toBe('1h26m')
  })
})
