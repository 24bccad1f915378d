// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { BroadcastFrames } from '../../server/broadcast-frames'
import { RateCounter } from '../../server/limits'
import { LOCAL_TENANT_ID, MessageStats } from '../../server/message-stats'
import { resolveOptions } from '../../server/options'
import { pubsubKey } from '../../server/pubsub'
import { RealtimeTenant, type Subscriber } from '../../server/realtime-tenant'

/** A channel as the tenant sees it, recording what it was sent. */
function fakeChannel(options: { self?: boolean; canRead?: boolean } = {}): Subscriber & { frames: number; shutdowns: string[] } {
  const channel = {
    frames: 0,
    shutdowns: [] as string[],
    selfBroadcast: options.self ?? false,
    permissions: { broadcastRead: options.canRead ?? true, presenceRead: true },
    session: { vsn: '2.0.0' as const, sendFrame: () => undefined },
    deliverBroadcast(_frames: BroadcastFrames): boolean {
      if (!channel.permissions.broadcastRead) return false
      channel.frames++
      return true
    },
    shutdown(reason: string) {
      channel.shutdowns.push(reason)
    },
  }
  return channel
}

function tenantWith(maxEventsPerSecond: number, rateWindowMs = 60_000): RealtimeTenant {
  return new RealtimeTenant(resolveOptions({ port: 0, logLevel: 'silent', database: false, limits: { maxEventsPerSecond, rateWindowMs } }))
}

const ping = { kind: 'json', topic: 'realtime:room', event: 'ping', frame: { type: 'broadcast', event: 'ping', payload: {} } } as const

describe('MessageStats', () => {
  it('starts at zero for the local tenant, with the budget and window of the limiter', () => {
    const stats = new MessageStats(new RateCounter(60_000), 100).snapshot()
    expect(stats).toMatchObject({
      tenant: LOCAL_TENANT_ID,
      received: 0,
      receivedBySource: { socket: 0, rest: 0, database: 0 },
      delivered: 0,
      presenceDelivered: 0,
      limiterEvents: 0,
      rateLimited: 0,
      channelsShut: 0,
      eventsPerSecond: 0,
      peakEventsPerSecond: 0,
      maxEventsPerSecond: 100,
      rateWindowMs: 60_000,
    })
  })

  it('reports the limiter rate as events in the window per second, and keeps the peak after the window moves on', () => {
    const events = new RateCounter(10_000)
    const stats = new MessageStats(events, 100)
    const now = Date.now()
    events.add(50, now)
    stats.broadcastReceived('socket', 50)
    expect(stats.snapshot(now).eventsPerSecond).toBe(5)
    const later = stats.snapshot(now + 20_000)
    expect(later.eventsPerSecond).toBe(0)
    expect(later.peakEventsPerSecond).toBe(5)
    expect(later.limiterEvents).toBe(50)
  })
})

describe('RealtimeTenant.publish counters', () => {
  it('counts one received broadcast and one delivered copy per other channel of the topic', () => {
    const tenant = tenantWith(100)
    const sender = fakeChannel()
    const others = [fakeChannel(), fakeChannel(), fakeChannel()]
    for (const channel of [sender, ...others]) tenant.pubsub.subscribe(pubsubKey('realtime:room', false), channel)
    expect(tenant.publish(ping, false, sender)).toBe('ok')
    expect(tenant.publish(ping, false, null)).toBe('ok')
    const stats = tenant.stats.snapshot()
    expect(stats.receivedBySource).toEqual({ socket: 1, rest: 1, database: 0 })
    expect(stats.received).toBe(2)
    // NOTE: the socket push skips its sender (self: false); the REST one reaches all four.
    expect(stats.delivered).toBe(3 + 4)
    expect(stats.limiterEvents).toBe(2 * (1 + 4))
    expect(others.map((c) => c.frames)).toEqual([2, 2, 2])
  })

  it('counts the sender copy with self: true and leaves out channels that may not read', () => {
    const tenant = tenantWith(100)
    const sender = fakeChannel({ self: true })
    const blind = fakeChannel({ canRead: false })
    for (const channel of [sender, blind, fakeChannel()]) tenant.pubsub.subscribe(pubsubKey('realtime:room', false), channel)
    tenant.publish(ping, false, sender)
    expect(tenant.stats.snapshot().delivered).toBe(2)
  })

  it('counts broadcasts from the database under their own source', () => {
    const tenant = tenantWith(100)
    tenant.publish(ping, false, null, 'database')
    expect(tenant.stats.snapshot().receivedBySource).toEqual({ socket: 0, rest: 0, database: 1 })
  })

  it('counts refused broadcasts and each shut channel once when the budget is exceeded', () => {
    const tenant = tenantWith(2, 1000)
    const sender = fakeChannel()
    const receiver = fakeChannel()
    for (const channel of [sender, receiver]) tenant.pubsub.subscribe(pubsubKey('realtime:room', false), channel)
    expect(tenant.publish(ping, false, sender)).toBe('rate_limited')
    const stats = tenant.stats.snapshot()
    expect(stats).toMatchObject({ received: 1, delivered: 0, rateLimited: 1, channelsShut: 2, limiterEvents: 3 })
    expect(stats.peakEventsPerSecond).toBe(3)
    expect(sender.shutdowns).toEqual(['Too many messages per second'])
    expect(receiver.shutdowns).toEqual(['Too many messages per second'])
  })

  it('counts presence diffs sent to channels that may read presence', () => {
    const tenant = tenantWith(100)
    const key = pubsubKey('realtime:room', false)
    const reader = fakeChannel()
    const blind = { ...fakeChannel(), permissions: { broadcastRead: true, presenceRead: false } }
    tenant.pubsub.subscribe(key, reader)
    tenant.pubsub.subscribe(key, blind)
    tenant.publishPresenceDiff(key, 'realtime:room', { joins: {}, leaves: {} })
    expect(tenant.stats.snapshot().presenceDelivered).toBe(1)
  })
})
