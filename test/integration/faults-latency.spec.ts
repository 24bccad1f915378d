/**
 * A slow link (added latency) is not a dead one: the channel stays SUBSCRIBED, every message
 * arrives once and in order, and `connection.latencyMs` shows the delay. Real sockets through a
 * TCP fault proxy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFaultStand, type FaultStand } from '../helpers/fault-stand'
import { waitFor } from '../helpers/server-fixture'

let stand: FaultStand

beforeEach(async () => {
  stand = await startFaultStand({ plugin: { heartbeatIntervalMs: 1000 } })
})

afterEach(() => stand.stop())

describe('added latency', () => {
  it('keeps the channel joined, delivers every message once in order and reports the latency', async () => {
    const slow = stand.throughProxy()
    const sender = stand.direct()
    const channel = 'slow-link'
    await slow.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('subscribe', { channel })
    stand.proxy.latency(80)
    for (let n = 0; n < 20; n++) await sender.plugin.execute('broadcast', { channel, event: 'tick', payload: { n } })
    await slow.plugin.execute('broadcast', { channel, event: 'tick', payload: { n: 20 } })
    await waitFor(() => (slow.plugin.variables.messages[channel]?.length ?? 0) >= 21, 10_000, 'all messages')
    await waitFor(() => (slow.plugin.variables.connection.latencyMs ?? 0) >= 150, 5000, 'latency of the slow link')
    expect((slow.plugin.variables.messages[channel] ?? []).map((m) => (m.payload as { n: number }).n)).toEqual([...Array(21).keys()])
    expect(slow.host.eventsOf('channel-status').map((e) => e.event.status)).toEqual(['JOINING', 'SUBSCRIBED'])
    expect(slow.plugin.variables.connection.reconnects).toBe(0)
  })
})
