import { describe, expect, it } from 'vitest'
import { LIVE_BUDGET_SHARE, liveIntervalMs } from '../../../../src/core/live/live-budget'

/** Events per second the room costs when every member sends once per `intervalMs` (as the server counts). */
const roomCost = (members: number, intervalMs: number) => (members * (1 + members) * 1000) / intervalMs

describe('liveIntervalMs', () => {
  it.each([1, 2, 3, 5, 10, 25, 100])('keeps a room of %i members under the live share of the budget', (members) => {
    for (const budget of [100, 500, 2500]) {
      const ms = liveIntervalMs({ requestedMs: 50, members, maxMessagesPerSecond: budget, backoff: 1 })
      expect(roomCost(members, ms)).toBeLessThanOrEqual(LIVE_BUDGET_SHARE * budget + 1e-9)
    }
  })

  it('keeps the requested interval when the budget allows it', () => {
    expect(liveIntervalMs({ requestedMs: 50, members: 2, maxMessagesPerSecond: 500, backoff: 1 })).toBe(50)
  })

  it('widens as members join and narrows as they leave', () => {
    const at = (members: number) => liveIntervalMs({ requestedMs: 50, members, maxMessagesPerSecond: 100, backoff: 1 })
    expect(at(2)).toBe(75)
    expect(at(5)).toBeGreaterThan(at(2))
    expect(at(10)).toBeGreaterThan(at(5))
    expect(at(3)).toBeLessThan(at(10))
  })

  it('multiplies by the backoff after a rate-limit close', () => {
    expect(liveIntervalMs({ requestedMs: 50, members: 2, maxMessagesPerSecond: 100, backoff: 2 })).toBe(150)
  })
})
