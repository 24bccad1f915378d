import { describe, expect, it } from 'vitest'
import { cursorColor } from '../../../../src/core/live/cursor-color'

describe('cursorColor', () => {
  it('gives the same colour to the same key every time', () => {
    expect(cursorColor('user-ada')).toBe(cursorColor('user-ada'))
    expect(cursorColor('user-ada')).toMatch(/^hsl\(\d+, 75%, 42%\)$/)
  })

  it('spreads similar keys over the colour wheel', () => {
    const hues = Array.from({ length: 8 }, (_, i) => Number(/hsl\((\d+)/.exec(cursorColor(`user-${i}`))![1]))
    expect(new Set(hues).size).toBe(8)
    const sorted = [...hues].sort((a, b) => a - b)
    const spread = sorted[sorted.length - 1]! - sorted[0]!
    expect(spread).toBeGreaterThan(180)
  })
})
