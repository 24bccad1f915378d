/**
 * The support chat end to end between two plugin instances through the public API, on the local
 * server with the real supabase-js client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { isRealtimePluginError } from '../../src/index'
import { createTestPlugin, createTestPluginPool, type TestPlugin, type TestPluginOptions } from '../helpers/plugin-fixture'
import { createTestClient, startTestServer, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'

let server: RealtimeServer
const plugins = createTestPluginPool()
const plugin = (options?: TestPluginOptions): TestPlugin => plugins.create(server, options)

beforeAll(async () => {
  server = await startTestServer({ limits: UNTHROTTLED_LIMITS })
})

afterEach(() => plugins.disposeAll())

afterAll(async () => {
  await server.stop()
})

describe('support chat', () => {
  it('delivers a broadcast to the other instance: its trigger fires and its messages variable updates', async () => {
    const agent = plugin()
    const customer = plugin()
    const channel = 'chat-1'

    await expect(agent.plugin.execute('subscribe', { channel, presence: { key: 'agent-ada' } })).resolves.toEqual({ channel, status: 'SUBSCRIBED' })
    await expect(customer.plugin.execute('subscribe', { channel, presence: { key: 'customer-bob' } })).resolves.toEqual({ channel, status: 'SUBSCRIBED' })
    expect(agent.plugin.variables.channels[channel]?.status).toBe('SUBSCRIBED')

    const tracked = await agent.plugin.execute('presence', { channel, action: 'track', state: { name: 'Ada', role: 'agent' } })
    expect(tracked.count).toBe(1)
    expect(tracked.members[0]?.key).toBe('agent-ada')
    await customer.plugin.execute('presence', { channel, action: 'track', state: { name: 'Bob', role: 'customer' } })

    await waitFor(() => agent.plugin.variables.presence[channel]?.count === 2, 10_000, 'agent sees two members')
    await waitFor(() => customer.plugin.variables.presence[channel]?.count === 2, 10_000, 'customer sees two members')
    const agents = customer.plugin.variables.presence[channel]?.members.filter((m) => m.state['role'] === 'agent') ?? []
    expect(agents.map((m) => m.key)).toEqual(['agent-ada'])

    const received: unknown[] = []
    agent.host.on('broadcast', { channel, event: 'message' }, (event) => received.push(event.payload))

    await expect(customer.plugin.execute('broadcast', { channel, event: 'message', payload: { text: 'My order is late' } })).resolves.toEqual({ status: 'ok' })

    await waitFor(() => received.length === 1, 10_000, 'agent workflow ran')
    expect(received).toEqual([{ text: 'My order is late' }])
    const agentMessages = agent.plugin.variables.messages[channel] ?? []
    expect(agentMessages.map((m) => [m.event, m.payload, m.self])).toEqual([['message', { text: 'My order is late' }, false]])
    // The sender sees its own message in its variable (self: true), without a second workflow run.
    expect(customer.plugin.variables.messages[channel]?.map((m) => [m.payload, m.self])).toEqual([[{ text: 'My order is late' }, true]])
    expect(customer.host.eventsOf('broadcast')).toHaveLength(0)
  })

  it('reports presence join and leave as trigger events, and sync with the whole member list', async () => {
    const a = plugin()
    const b = plugin()
    const channel = 'chat-presence'
    await a.plugin.execute('subscribe', { channel, presence: { key: 'a' } })
    await a.plugin.execute('presence', { channel, action: 'track', state: { n: 1 } })
    await b.plugin.execute('subscribe', { channel, presence: { key: 'b' } })
    await b.plugin.execute('presence', { channel, action: 'track', state: { n: 2 } })
    await waitFor(() => a.host.eventsOf('presence').some((e) => e.event.event === 'join' && e.event.key === 'b'), 10_000, 'join of b')

    await b.plugin.execute('presence', { channel, action: 'track', state: { n: 3 } })
    await waitFor(() => a.host.eventsOf('presence').some((e) => e.event.event === 'update' && e.event.key === 'b'), 10_000, 'update of b')
    const bEvents = a.host.eventsOf('presence').filter((e) => e.event.key === 'b').map((e) => e.event.event)
    expect(bEvents).toEqual(['join', 'update'])
    expect(a.plugin.variables.presence[channel]?.members.find((m) => m.key === 'b')?.state).toEqual({ n: 3 })

    const untracked = await b.plugin.execute('presence', { channel, action: 'untrack' })
    expect(untracked.members.map((m) => m.key)).toEqual(['a'])
    await waitFor(() => a.host.eventsOf('presence').some((e) => e.event.event === 'leave' && e.event.key === 'b'), 10_000, 'leave of b')
    const lastSync = a.host.eventsOf('presence').filter((e) => e.event.event === 'sync').at(-1)
    expect(lastSync?.event.members.map((m) => m.key)).toEqual(['a'])
    expect(lastSync?.event.count).toBe(1)
  })

  it('delivers each message once after a double subscribe with the same settings', async () => {
    const listener = plugin()
    const sender = plugin()
    const channel = 'chat-double'
    await listener.plugin.execute('subscribe', { channel })
    await listener.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('subscribe', { channel })
    for (let i = 0; i < 5; i++) await sender.plugin.execute('broadcast', { channel, event: 'message', payload: { i } })
    await waitFor(() => (listener.plugin.variables.messages[channel]?.length ?? 0) >= 5, 10_000, 'five messages')
    await new Promise((r) => setTimeout(r, 200))
    expect(listener.plugin.variables.messages[channel]?.map((m) => m.payload)).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })))
    expect(listener.host.eventsOf('broadcast')).toHaveLength(5)
  })

  it('replaces the channel cleanly when subscribed again with other settings', async () => {
    const listener = plugin()
    const sender = plugin()
    const channel = 'chat-replace'
    await listener.plugin.execute('subscribe', { channel })
    await listener.plugin.execute('subscribe', { channel, broadcast: { self: true } })
    await sender.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('broadcast', { channel, event: 'message', payload: { from: 'sender' } })
    await listener.plugin.execute('broadcast', { channel, event: 'message', payload: { from: 'listener' } })
    await waitFor(() => listener.host.eventsOf('broadcast').length >= 2, 10_000, 'two trigger runs')
    await new Promise((r) => setTimeout(r, 200))
    expect(listener.host.eventsOf('broadcast').map((e) => [e.event.payload, e.event.self])).toEqual([
      [{ from: 'sender' }, false],
      [{ from: 'listener' }, true],
    ])
    expect(listener.plugin.variables.messages[channel]).toHaveLength(2)
  })

  it('unsubscribes (also a channel that is not subscribed) and stops receiving', async () => {
    const listener = plugin()
    const sender = plugin()
    const channel = 'chat-unsub'
    await listener.plugin.execute('subscribe', { channel })
    await sender.plugin.execute('subscribe', { channel })
    await expect(listener.plugin.execute('unsubscribe', { channel })).resolves.toEqual({ status: 'ok' })
    await expect(listener.plugin.execute('unsubscribe', { channel: 'never-subscribed' })).resolves.toEqual({ status: 'ok' })
    expect(listener.plugin.variables.channels[channel]).toBeUndefined()
    await sender.plugin.execute('broadcast', { channel, event: 'message', payload: { late: true } })
    await new Promise((r) => setTimeout(r, 300))
    expect(listener.plugin.variables.messages[channel] ?? []).toHaveLength(0)
    expect(listener.host.eventsOf('channel-status').map((e) => e.event.status)).toContain('REMOVED')
  })

  it('broadcasts over REST to a channel it has not subscribed, without a console warning', async () => {
    const listener = plugin()
    const sender = plugin()
    const channel = 'chat-rest'
    await listener.plugin.execute('subscribe', { channel })
    const warnings: unknown[] = []
    const original = console.warn
    console.warn = (...args: unknown[]) => warnings.push(args)
    try {
      await expect(sender.plugin.execute('broadcast', { channel, event: 'message', payload: { via: 'rest' } })).resolves.toEqual({ status: 'ok' })
    } finally {
      console.warn = original
    }
    await waitFor(() => listener.plugin.variables.messages[channel]?.length === 1, 10_000, 'REST message delivered')
    expect(warnings).toEqual([])
  })

  it('rejects bad input with INVALID_INPUT naming the field before anything is sent', async () => {
    const t = plugin()
    const error = await t.plugin.execute('subscribe', { channel: '' }).catch((e: unknown) => e)
    expect(isRealtimePluginError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'channel', fix: 'Enter a channel name, e.g. chat.' })
    expect(t.plugin.variables.channels).toEqual({})
    expect(t.plugin.variables.connection.status).toBe('idle')
    await expect(t.plugin.execute('presence', { channel: 'nope', action: 'get' })).rejects.toMatchObject({ code: 'CHANNEL_NOT_SUBSCRIBED', field: 'channel' })
  })

  it('measures the connection latency from heartbeats', async () => {
    const t = plugin({ realtimeOptions: { heartbeatIntervalMs: 200 } })
    await t.plugin.execute('subscribe', { channel: 'latency' })
    await waitFor(() => typeof t.plugin.variables.connection.latencyMs === 'number', 10_000, 'a latency')
    expect(t.plugin.variables.connection.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it('leaves every channel and closes its own connection on dispose', async () => {
    const t = createTestPlugin(server)
    const watcher = plugin()
    await t.plugin.execute('subscribe', { channel: 'bye', presence: { key: 'leaving' } })
    await t.plugin.execute('presence', { channel: 'bye', action: 'track', state: { here: true } })
    await watcher.plugin.execute('subscribe', { channel: 'bye', presence: { key: 'watcher' } })
    await waitFor(() => watcher.plugin.variables.presence['bye']?.members.some((m) => m.key === 'leaving'), 10_000, 'the instance is present')
    await t.plugin.dispose()
    expect(t.plugin.client?.getChannels()).toEqual([])
    expect(t.plugin.client?.realtime.isConnected()).toBe(false)
    await waitFor(() => watcher.plugin.variables.presence['bye']?.count === 0, 10_000, 'the disposed instance left')
    await t.plugin.dispose()
  })

  it('works the same with protocol 1.0.0 (JSON frames) on one side', async () => {
    const v1 = plugin({ realtimeOptions: { vsn: '1.0.0' } })
    const v2 = plugin()
    const channel = 'chat-vsn'
    await v1.plugin.execute('subscribe', { channel, presence: { key: 'v1' } })
    await v2.plugin.execute('subscribe', { channel, presence: { key: 'v2' } })
    await v1.plugin.execute('presence', { channel, action: 'track', state: { vsn: 1 } })
    await v2.plugin.execute('broadcast', { channel, event: 'message', payload: { from: 'v2' } })
    await v1.plugin.execute('broadcast', { channel, event: 'message', payload: { from: 'v1' } })
    await waitFor(() => v1.plugin.variables.messages[channel]?.length === 2 && v2.plugin.variables.messages[channel]?.length === 2, 10_000, 'both messages on both sides')
    expect(v1.plugin.variables.messages[channel]?.map((m) => [m.payload, m.self])).toEqual([
      [{ from: 'v2' }, false],
      [{ from: 'v1' }, true],
    ])
    await waitFor(() => v2.plugin.variables.presence[channel]?.members.some((m) => m.key === 'v1'), 10_000, 'v1 present for v2')
  })

  it('explains that database changes need the database when the server has none', async () => {
    const t = plugin()
    const error = await t.plugin.execute('subscribe', { channel: 'no-db', postgresChanges: [{ table: 'todos' }] }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' })
    expect((error as Error).message).toContain('UnableToConnectToProject')
    expect(t.plugin.variables.channels['no-db']).toMatchObject({ status: 'CHANNEL_ERROR', error: { code: 'DATABASE_UNAVAILABLE' } })
  })

  it('joins an unjoined channel object the app made on a shared client, keeping the app listeners', async () => {
    const shared = createTestClient(server)
    try {
      const appReceived: unknown[] = []
      shared.channel('shared-room').on('broadcast', { event: 'message' }, (m: { payload: unknown }) => appReceived.push(m.payload))
      const t = plugin({ client: shared })
      const sender = plugin()
      await t.plugin.execute('subscribe', { channel: 'shared-room' })
      await sender.plugin.execute('subscribe', { channel: 'shared-room' })
      await sender.plugin.execute('broadcast', { channel: 'shared-room', event: 'message', payload: { n: 1 } })
      await waitFor(() => appReceived.length === 1 && t.plugin.variables.messages['shared-room']?.length === 1, 10_000, 'both listeners')
      expect(shared.getChannels()).toHaveLength(1)
    } finally {
      await shared.removeAllChannels()
      await shared.realtime.disconnect()
    }
  })
})
