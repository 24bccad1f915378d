/**
 * Server restarts and channels closed by the server: the plugin rejoins, re-tracks presence and
 * its status variables tell the truth throughout. Real server, real supabase-js.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { signJwt, type RealtimeServer, type RealtimeServerOptions } from '../../server/index'
import { createTestPluginPool } from '../helpers/plugin-fixture'
import { startTestServer, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'

const plugins = createTestPluginPool()
const servers: RealtimeServer[] = []

async function start(options: RealtimeServerOptions = {}): Promise<RealtimeServer> {
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      const server = await startTestServer({ limits: UNTHROTTLED_LIMITS, ...options })
      servers.push(server)
      return server
    } catch (error) {
      // NOTE: the port of a server that just stopped can stay busy for a moment.
      if (Date.now() > deadline) throw error
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

afterEach(async () => {
  await plugins.disposeAll()
  await Promise.all(servers.splice(0).map((s) => s.stop()))
})

describe('server restart', () => {
  it('resubscribes channels, re-tracks presence and keeps status variables truthful', async () => {
    let server = await start()
    const port = server.port
    const a = plugins.create(server)
    const b = plugins.create(server)
    const channel = 'restart-chat'
    await a.plugin.execute('subscribe', { channel, presence: { key: 'agent' } })
    await b.plugin.execute('subscribe', { channel, presence: { key: 'customer' } })
    await a.plugin.execute('presence', { channel, action: 'track', state: { name: 'Ada' } })
    await b.plugin.execute('presence', { channel, action: 'track', state: { name: 'Bob' } })
    await waitFor(() => a.plugin.variables.presence[channel]?.count === 2, 10_000, 'two members before restart')
    expect(a.plugin.variables.connection.status).toBe('connected')
    expect(a.plugin.variables.connection.reconnects).toBe(0)

    await server.stop()
    servers.splice(servers.indexOf(server), 1)
    await waitFor(() => a.plugin.variables.connection.status === 'reconnecting', 10_000, 'connection reconnecting')
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'CHANNEL_ERROR', 10_000, 'channel errored')
    expect(a.plugin.variables.channels[channel]?.error?.code).toBe('CONNECTION_LOST')
    expect(a.plugin.variables.connection.lastError?.code).toBe('CONNECTION_LOST')

    server = await start({ port })
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 30_000, 'a resubscribed')
    await waitFor(() => b.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 30_000, 'b resubscribed')
    expect(a.plugin.variables.connection.status).toBe('connected')
    expect(a.plugin.variables.connection.reconnects).toBe(1)
    expect(a.plugin.variables.channels[channel]?.error).toBeNull()

    // The new server knows nothing about presence: both members are back only because they were re-tracked.
    await waitFor(() => a.plugin.variables.presence[channel]?.count === 2, 15_000, 'a sees both members again')
    await waitFor(() => b.plugin.variables.presence[channel]?.count === 2, 15_000, 'b sees both members again')
    expect(b.plugin.variables.presence[channel]?.members.find((m) => m.key === 'agent')?.state).toEqual({ name: 'Ada' })

    await b.plugin.execute('broadcast', { channel, event: 'message', payload: { after: 'restart' } })
    await waitFor(() => a.plugin.variables.messages[channel]?.some((m) => (m.payload as { after?: string }).after === 'restart'), 10_000, 'message after restart')

    const statuses = a.host.eventsOf('connection-status').map((e) => e.event.status)
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected'])
    const channelStatuses = a.host.eventsOf('channel-status').map((e) => e.event.status)
    expect(channelStatuses.slice(0, 3)).toEqual(['JOINING', 'SUBSCRIBED', 'CHANNEL_ERROR'])
    expect(channelStatuses.at(-1)).toBe('SUBSCRIBED')
  })
})

describe('actions during an outage', () => {
  it('waits for the rejoin: Subscribe again and track presence while the server is down', async () => {
    let server = await start()
    const port = server.port
    const a = plugins.create(server)
    const channel = 'outage'
    await a.plugin.execute('subscribe', { channel, presence: { key: 'ada' } })
    await server.stop()
    servers.splice(servers.indexOf(server), 1)
    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'CHANNEL_ERROR', 10_000, 'channel errored')

    const again = a.plugin.execute('subscribe', { channel, presence: { key: 'ada' }, timeoutMs: 30_000 })
    const tracked = a.plugin.execute('presence', { channel, action: 'track', state: { back: true }, timeoutMs: 30_000 })
    await new Promise((r) => setTimeout(r, 300))
    server = await start({ port })
    await expect(again).resolves.toEqual({ channel, status: 'SUBSCRIBED' })
    await expect(tracked).resolves.toMatchObject({ count: 1 })
    expect(a.plugin.variables.presence[channel]?.members.map((m) => [m.key, m.state])).toEqual([['ada', { back: true }]])
  })

  it('resolves two concurrent identical Subscribes with one channel', async () => {
    const server = await start()
    const listener = plugins.create(server)
    const sender = plugins.create(server)
    const channel = 'concurrent'
    const results = await Promise.all([listener.plugin.execute('subscribe', { channel }), listener.plugin.execute('subscribe', { channel })])
    expect(results).toEqual([
      { channel, status: 'SUBSCRIBED' },
      { channel, status: 'SUBSCRIBED' },
    ])
    expect(listener.plugin.client?.getChannels()).toHaveLength(1)
    await sender.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('broadcast', { channel, event: 'message', payload: { n: 1 } })
    await waitFor(() => listener.plugin.variables.messages[channel]?.length === 1, 10_000, 'one message')
    await new Promise((r) => setTimeout(r, 200))
    expect(listener.plugin.variables.messages[channel]).toHaveLength(1)
  })
})

describe('channel closed by the server', () => {
  it('reopens the channel with backoff and tracks presence again', async () => {
    const server = await start({ limits: { ...UNTHROTTLED_LIMITS, presenceMaxCalls: 2, presenceWindowMs: 60_000 } })
    const a = plugins.create(server, { reopenAfterMs: () => 200 })
    const watcher = plugins.create(server)
    const channel = 'closing-chat'
    await a.plugin.execute('subscribe', { channel, presence: { key: 'ada' } })
    await watcher.plugin.execute('subscribe', { channel, presence: { key: 'watcher' } })
    await a.plugin.execute('presence', { channel, action: 'track', state: { v: 1 } })
    await a.plugin.execute('presence', { channel, action: 'track', state: { v: 2 } })
    // The third presence call in the window makes the server close the channel.
    const third = await a.plugin.execute('presence', { channel, action: 'track', state: { v: 3 } }).catch((e: unknown) => e)
    expect(third).toMatchObject({ code: 'RATE_LIMITED' })
    await waitFor(() => a.host.eventsOf('channel-status').some((e) => e.event.status === 'CLOSED'), 10_000, 'channel closed')
    const closed = a.host.eventsOf('channel-status').find((e) => e.event.status === 'CLOSED')
    expect(closed?.event.error?.code).toBe('RATE_LIMITED')
    expect(closed?.event.error?.message).toContain('Client presence rate limit exceeded')

    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED' && a.plugin.variables.channels[channel]?.reopens === 1, 10_000, 'reopened')
    // The refused update did not apply: the last confirmed state is tracked again on the new channel.
    await waitFor(() => watcher.plugin.variables.presence[channel]?.members.find((m) => m.key === 'ada')?.state['v'] === 2, 10_000, 'ada re-tracked with her last confirmed state')
    expect(a.plugin.variables.presence[channel]?.self).toEqual({ key: 'ada', tracked: true, state: { v: 2 } })
  })
})

describe('token expiry', () => {
  it('reopens a channel the server closed at token expiry, with the fresh token', async () => {
    const server = await start({ tokenCheckIntervalMs: 100 })
    const token = (seconds: number) =>
      signJwt({ role: 'authenticated', sub: 'user-1', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + seconds }, server.jwtSecret)
    // Tokens expire within seconds until the server closes the channel; then a fresh one is handed
    // out, as an auth client that refreshed the session would.
    let refreshed = false
    const a = plugins.create(server, { accessToken: () => Promise.resolve(refreshed ? token(3600) : token(3)), reopenAfterMs: () => 100 })
    a.host.on('channel-status', { status: 'CLOSED' }, () => {
      refreshed = true
    })
    const channel = 'expiring'
    await a.plugin.execute('subscribe', { channel, presence: { key: 'user-1' } })
    await a.plugin.execute('presence', { channel, action: 'track', state: { online: true } })

    await waitFor(() => a.host.eventsOf('channel-status').some((e) => e.event.status === 'CLOSED'), 15_000, 'closed at expiry')
    const closed = a.host.eventsOf('channel-status').find((e) => e.event.status === 'CLOSED')
    expect(closed?.event.error).toMatchObject({ code: 'AUTH_FAILED' })
    expect(closed?.event.error?.message).toMatch(/Token has expired/)

    await waitFor(() => a.plugin.variables.channels[channel]?.status === 'SUBSCRIBED' && a.plugin.variables.channels[channel]?.reopens === 1, 15_000, 'reopened')
    await waitFor(() => a.plugin.variables.presence[channel]?.members.some((m) => m.key === 'user-1'), 10_000, 'presence re-tracked')
    await new Promise((r) => setTimeout(r, 2500))
    expect(a.plugin.variables.channels[channel]?.status).toBe('SUBSCRIBED')
  })
})

describe('failures a builder can act on', () => {
  it('rejects Subscribe with SUBSCRIBE_TIMED_OUT and the last problem when the server cannot be reached', async () => {
    const server = await start()
    const port = server.port
    await server.stop()
    servers.splice(servers.indexOf(server), 1)
    const t = plugins.create({ url: `http://127.0.0.1:${port}`, anonKey: server.anonKey } as RealtimeServer)
    const error = await t.plugin.execute('subscribe', { channel: 'offline', timeoutMs: 2000 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SUBSCRIBE_TIMED_OUT', field: 'timeoutMs' })
    expect(t.plugin.variables.channels['offline']?.status).toBe('TIMED_OUT')
    expect(t.plugin.variables.connection.status).toBe('connecting')
    expect(t.plugin.variables.connection.lastError?.code).toBe('CONNECTION_LOST')
  })

  it('rejects Broadcast with PAYLOAD_TOO_LARGE when the server refuses the size, and keeps the channel', async () => {
    const server = await start({ limits: { ...UNTHROTTLED_LIMITS, maxPayloadSizeKb: 1 } })
    const t = plugins.create(server)
    await t.plugin.execute('subscribe', { channel: 'big' })
    const error = await t.plugin.execute('broadcast', { channel: 'big', event: 'file', payload: { data: 'x'.repeat(5000) } }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'payload' })
    await expect(t.plugin.execute('broadcast', { channel: 'big', event: 'small', payload: { ok: true } })).resolves.toEqual({ status: 'ok' })
    expect(t.plugin.variables.channels['big']?.status).toBe('SUBSCRIBED')
  })
})
