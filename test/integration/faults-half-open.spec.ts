/**
 * A half-open link (the network stops carrying bytes, both sockets stay open): the plugin notices
 * within two heartbeat intervals, says so in `connection` and `channels`, and comes back with a
 * resume signal. Real sockets through a TCP fault proxy, real supabase-js, real server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFaultStand, type FaultStand } from '../helpers/fault-stand'
import type { TestPlugin } from '../helpers/plugin-fixture'
import { waitFor } from '../helpers/server-fixture'

const HEARTBEAT_MS = 300
let stand: FaultStand

beforeEach(async () => {
  stand = await startFaultStand({ plugin: { heartbeatIntervalMs: HEARTBEAT_MS } })
})

afterEach(() => stand.stop())

describe('half-open link', () => {
  it('is detected within two heartbeat intervals and the channel stops claiming SUBSCRIBED', async () => {
    const a = stand.throughProxy()
    const channel = 'half-open'
    await a.plugin.execute('subscribe', { channel })
    await waitFor(() => a.plugin.variables.connection.status === 'connected', 5000, 'connected')

    stand.proxy.blackhole()
    const lostAt = Date.now()
    await waitFor(() => a.plugin.variables.connection.status === 'reconnecting', 5000, 'connection reconnecting')
    const detectedMs = Date.now() - lostAt
    await waitFor(() => a.plugin.variables.channels[channel]?.status !== 'SUBSCRIBED', 2000, 'channel not SUBSCRIBED')
    expect(detectedMs).toBeLessThanOrEqual(2 * HEARTBEAT_MS + 1000)
    expect(a.plugin.variables.connection.lastError?.code).toBe('CONNECTION_LOST')
    expect(a.plugin.variables.channels[channel]?.error?.code).toBe('CONNECTION_LOST')

    stand.proxy.restore()
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 12_000, 'back to SUBSCRIBED')
    await waitFor(() => a.plugin.variables.connection.status === 'connected', 2000, 'connected again')
    expect(a.plugin.variables.connection.reconnects).toBe(1)
  })

  it('recovers when the dead network lost the bytes, including a reconnect handshake started meanwhile', async () => {
    const a = stand.throughProxy()
    const channel = 'half-open-drop'
    await a.plugin.execute('subscribe', { channel })
    stand.proxy.blackhole({ drop: true })
    await waitFor(() => a.plugin.variables.channels[channel]?.status !== 'SUBSCRIBED', 5000, 'lost')
    // NOTE: long enough for supabase-js to start a new connection into the dead network.
    await new Promise((r) => setTimeout(r, 4000))
    stand.proxy.restore()
    const back = Date.now()
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 12_000, 'back to SUBSCRIBED')
    expect(Date.now() - back).toBeLessThanOrEqual(3000)
    expect(a.plugin.variables.connection.status).toBe('connected')
  })

  it('comes back at once on the online event and signals the gap with resumed, downtimeMs and lastMessageAt', async () => {
    const wake = new EventTarget()
    const a = stand.throughProxy({ wakeEvents: wake })
    const sender = stand.direct()
    const channel = 'resume-signal'
    await a.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('broadcast', { channel, event: 'before', payload: { n: 1 } })
    await waitFor(() => a.plugin.variables.messages[channel]?.length === 1, 5000, 'first message')
    const lastBefore = a.plugin.variables.messages[channel]?.[0]?.receivedAt

    stand.proxy.blackhole()
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'CHANNEL_ERROR', 5000, 'lost')
    // NOTE: long enough for supabase-js's reconnect backoff to grow past what the target allows.
    await new Promise((r) => setTimeout(r, 2500))
    stand.proxy.restore()
    const back = Date.now()
    wake.dispatchEvent(new Event('online'))
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 2000, 'SUBSCRIBED within 2 s of the online event')
    expect(Date.now() - back).toBeLessThanOrEqual(2000)

    const state = a.plugin.variables.channels[channel]
    expect(state).toMatchObject({ resumed: true, lastMessageAt: lastBefore })
    expect(state?.downtimeMs).toBeGreaterThanOrEqual(2500)
    const resumedEvent = a.host.eventsOf('channel-status').at(-1)?.event
    expect(resumedEvent).toMatchObject({ status: 'SUBSCRIBED', resumed: true, lastMessageAt: lastBefore })
    expect(resumedEvent?.downtimeMs).toBe(state?.downtimeMs)
    // The first join is not a resume.
    expect(a.host.eventsOf('channel-status').find((e) => e.event.status === 'SUBSCRIBED')?.event.resumed).toBe(false)

    await sender.plugin.execute('broadcast', { channel, event: 'after', payload: { n: 2 } })
    await waitFor(() => a.plugin.variables.messages[channel]?.some((m) => m.event === 'after'), 5000, 'message after the gap')
  })

  it('converges presence once the link is back', async () => {
    const a = stand.throughProxy()
    const watcher = stand.direct()
    const channel = 'half-open-presence'
    await a.plugin.execute('subscribe', { channel, presence: { key: 'ada' } })
    await watcher.plugin.execute('subscribe', { channel, presence: { key: 'watcher' } })
    await a.plugin.execute('presence', { channel, action: 'track', state: { name: 'Ada' } })
    await watcher.plugin.execute('presence', { channel, action: 'track', state: { name: 'Watcher' } })
    await waitFor(() => a.plugin.variables.presence[channel]?.count === 2, 5000, 'two members')

    stand.proxy.blackhole()
    await waitFor(() => a.plugin.variables.channels[channel]?.status !== 'SUBSCRIBED', 5000, 'lost')
    stand.proxy.restore()
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 12_000, 'back')
    const truth = (t: TestPlugin) =>
      t.plugin.variables.presence[channel]?.members
        .map((m) => `${m.key}:${m.connections}:${JSON.stringify(m.state)}`)
        .sort()
        .join('|')
    const expected = 'ada:1:{"name":"Ada"}|watcher:1:{"name":"Watcher"}'
    await waitFor(() => truth(a) === expected && truth(watcher) === expected, 5000, 'presence equal to the truth on both sides')
  })
})
