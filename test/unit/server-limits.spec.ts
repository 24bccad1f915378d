import { describe, expect, it } from 'vitest'
import { CallWindow, RateCounter } from '../../server/limits'
import { DEFAULT_LIMITS, resolveOptions } from '../../server/options'

describe('RateCounter', () => {
  it('counts events within the window and forgets older ones', () => {
    const c = new RateCounter(1000)
    c.add(5, 10_000)
    c.add(3, 10_500)
    expect(c.total(10_900)).toBe(8)
    expect(c.total(11_050)).toBe(3)
    expect(c.total(11_600)).toBe(0)
  })

  it('is exceeded above perSecond × window', () => {
    const c = new RateCounter(2000)
    c.add(200, 0)
    expect(c.exceeds(100, 10)).toBe(false)
    c.add(1, 20)
    expect(c.exceeds(100, 30)).toBe(true)
    expect(c.budget(100)).toBe(200)
  })

  it('survives long idle gaps', () => {
    const c = new RateCounter(1000)
    c.add(50, 0)
    expect(c.total(1_000_000)).toBe(0)
    c.add(1, 1_000_001)
    expect(c.total(1_000_002)).toBe(1)
  })
})

describe('CallWindow', () => {
  it('allows maxCalls per window, then refuses until the oldest call ages out', () => {
    const w = new CallWindow(5, 30_000)
    for (let i = 0; i < 5; i++) expect(w.tryCall(i * 1000)).toBe(true)
    expect(w.tryCall(10_000)).toBe(false)
    expect(w.tryCall(30_001)).toBe(true)
    expect(w.tryCall(30_002)).toBe(false)
  })
})

describe('resolveOptions', () => {
  it('applies the reference defaults', () => {
    const o = resolveOptions()
    expect(o.limits).toEqual(DEFAULT_LIMITS)
    expect(o).toMatchObject({ port: 54321, host: '127.0.0.1', connectErrorBackoffMs: 2000, channelErrorBackoffMs: 5000, idleTimeoutMs: 60_000, database: null })
    expect(DEFAULT_LIMITS).toMatchObject({ maxChannelsPerClient: 100, maxJoinsPerSecond: 100, maxConcurrentUsers: 200, maxEventsPerSecond: 100, maxPayloadSizeKb: 3000, presenceMaxCalls: 5, presenceWindowMs: 30_000 })
  })

  it('overrides single limits and keeps the others', () => {
    expect(resolveOptions({ limits: { maxEventsPerSecond: 5 } }).limits).toEqual({ ...DEFAULT_LIMITS, maxEventsPerSecond: 5 })
  })

  it.each([
    [{ port: -1 }, 'port'],
    [{ port: 70000 }, 'port'],
    [{ channelErrorBackoffMs: Number.NaN }, 'channelErrorBackoffMs'],
    [{ limits: { maxEventsPerSecond: -3 } }, 'limits.maxEventsPerSecond'],
    [{ limits: { maxEventPerSecond: 3 } as never }, 'limits.maxEventPerSecond'],
    [{ jwtSecret: '' }, 'jwtSecret'],
  ])('rejects %j with INVALID_OPTION naming the field', (options, option) => {
    expect(() => resolveOptions(options)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: expect.objectContaining({ option }) }))
  })
})
