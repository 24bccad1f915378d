/**
 * The channel registry against a fake supabase-js channel (test/helpers/fake-realtime.ts): its
 * status machine (join, error, close by the server, rejoin), replay requests, message ids
 * (duplicates, own echoes) and pushes. The real stack is covered by test/integration/.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { toChannelConfig } from '../../../actions/subscribe-to-channel'
import { ChannelRegistry, MAX_REPLAY_MESSAGES, type ReceivedBroadcast, type RegistryListener } from '../../../src/core/channel-registry'
import type { ChannelState } from '../../../src/core/types'
import { createFakeRealtime, type FakeRealtime } from '../../helpers/fake-realtime'

function recorder() {
  const states: { name: string; state: ChannelState | null }[] = []
  const messages: ReceivedBroadcast[] = []
  const reserved: ReceivedBroadcast[] = []
  const changes: { table: string; companion: boolean }[] = []
  const listener: RegistryListener = {
    onChannelState: (name, state) => void states.push({ name, state }),
    onBroadcast: (_name, message) => void messages.push(message),
    onReservedBroadcast: (_name, message) => void reserved.push(message),
    onPresence: () => {},
    onPostgresChange: (_name, payload, _binding, companion) => void changes.push({ table: payload.table, companion }),
    onLog: () => {},
  }
  return { listener, states, messages, reserved, changes, statuses: () => states.map((s) => s.state?.status ?? 'REMOVED') }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

let fake: FakeRealtime
let registry: ChannelRegistry | null = null

function setup(options: { reservedPrefix?: string } = {}) {
  fake = createFakeRealtime()
  const seen = recorder()
  registry = new ChannelRegistry({ client: fake.client, listener: seen.listener, fallbackPresenceKey: 'me', reopenAfterMs: () => 5, ...options })
  return { registry, seen }
}

/** Subscribes and lets the fake server accept the join. */
async function joined(r: ChannelRegistry, input: Parameters<typeof toChannelConfig>[0], database = false): Promise<ChannelState> {
  const subscribing = r.subscribe(toChannelConfig(input))
  await tick()
  fake.channel(input.channel).join(database)
  return subscribing
}

afterEach(async () => {
  await registry?.dispose()
  registry = null
})

describe('channel registry: status machine', () => {
  it('joins, and hands out a read-only view without the SDK channel or the presence tracker', async () => {
    const { registry, seen } = setup()
    const state = await joined(registry, { channel: 'room' })
    expect(state).toMatchObject({ name: 'room', status: 'SUBSCRIBED', resumed: false })
    expect(seen.statuses()).toEqual(['JOINING', 'SUBSCRIBED'])
    const view = registry.get('room')
    expect(Object.keys(view ?? {}).sort()).toEqual(['config', 'joins', 'presence', 'state'])
    expect(view?.presence).toMatchObject({ count: 0, self: { key: 'me', tracked: false } })
    expect(registry.names()).toEqual(['room'])
  })

  it('ends a first subscribe the server refuses, keeping the failure visible', async () => {
    const { registry, seen } = setup()
    const subscribing = registry.subscribe(toChannelConfig({ channel: 'secret', private: true }))
    await tick()
    fake.channel('secret').error('Unauthorized: You do not have permissions to read from this Channel topic: secret')
    await expect(subscribing).rejects.toMatchObject({ code: 'PRIVATE_CHANNEL_DENIED', field: 'private' })
    expect(registry.get('secret')).toBeNull()
    expect(seen.states.at(-1)?.state).toMatchObject({ status: 'CHANNEL_ERROR', error: { code: 'PRIVATE_CHANNEL_DENIED' } })
    expect(fake.channel('secret').removed).toBe(true)
  })

  it('rejoins after a lost link with the downtime, and shares tracked presence again', async () => {
    const { registry, seen } = setup()
    await joined(registry, { channel: 'room' })
    await registry.track('room', { name: 'Ada' }, 1000)
    const channel = fake.channel('room')
    channel.error('socket closed')
    expect(registry.get('room')?.state).toMatchObject({ status: 'CHANNEL_ERROR', error: { code: 'CONNECTION_LOST' } })
    channel.join()
    expect(seen.states.at(-1)?.state).toMatchObject({ status: 'SUBSCRIBED', resumed: true })
    expect(seen.states.at(-1)?.state?.downtimeMs).toBeGreaterThanOrEqual(0)
    expect(registry.get('room')?.joins).toBe(2)
    expect(channel.pushes.filter((p) => p.kind === 'track').map((p) => p.payload)).toEqual([{ name: 'Ada' }, { name: 'Ada' }])
  })

  it('reopens a channel the server closed, with a new SDK channel, and counts the reopen', async () => {
    const { registry, seen } = setup()
    await joined(registry, { channel: 'room' })
    fake.channel('room').closeByServer('Token has expired 10 seconds ago')
    expect(registry.get('room')?.state).toMatchObject({ status: 'CLOSED', error: { code: 'AUTH_FAILED' } })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(fake.channels.get('room')).toHaveLength(2)
    expect(registry.get('room')?.state).toMatchObject({ status: 'JOINING', reopens: 1 })
    fake.channel('room').join()
    expect(seen.statuses().slice(-3)).toEqual(['CLOSED', 'JOINING', 'SUBSCRIBED'])
    expect(registry.get('room')?.state).toMatchObject({ status: 'SUBSCRIBED', resumed: true, reopens: 1 })
  })

  it('tells a watcher of the channel before its listener, through replacement and removal', async () => {
    const { registry, seen } = setup()
    const order: string[] = []
    const stop = registry.watch('room', (state) => order.push(`watch:${state?.status ?? 'REMOVED'}:${seen.states.length}`))
    await joined(registry, { channel: 'room' })
    await registry.unsubscribe('room')
    stop()
    expect(order).toEqual(['watch:JOINING:0', 'watch:SUBSCRIBED:1', 'watch:REMOVED:2'])
  })
})

describe('channel registry: replay and message ids', () => {
  it('asks a private channel to replay what it missed since the last message, on the rejoin', async () => {
    const { registry } = setup()
    await joined(registry, { channel: 'private-room', private: true })
    const channel = fake.channel('private-room')
    const before = Date.now()
    channel.broadcast('note', { text: 'one' })
    channel.error('socket closed')
    const replay = (channel.joinPayloads.at(-1)?.['config'] as { broadcast: { replay: { since: number; limit: number } } }).broadcast.replay
    expect(replay.limit).toBe(MAX_REPLAY_MESSAGES)
    expect(replay.since).toBeLessThanOrEqual(before)
    expect(replay.since).toBeGreaterThan(before - 5000)
  })

  it('asks for no replay on a public channel', async () => {
    const { registry } = setup()
    await joined(registry, { channel: 'room' })
    fake.channel('room').error('socket closed')
    expect(fake.channel('room').joinPayloads).toEqual([])
  })

  it('passes a message received twice (re-sent, or replayed) on once, without its id in the payload', async () => {
    const { registry, seen } = setup()
    await joined(registry, { channel: 'room' })
    const channel = fake.channel('room')
    channel.broadcast('chat', { text: 'hi', _realtimeMessageId: 'm-1' })
    channel.broadcast('chat', { text: 'hi', _realtimeMessageId: 'm-1' }, { replayed: true })
    channel.broadcast('chat', { text: 'stored' }, { id: 'db-1' })
    channel.broadcast('chat', { text: 'stored' }, { id: 'db-1', replayed: true })
    channel.broadcast('chat', { text: 'no id' })
    expect(seen.messages).toEqual([
      { event: 'chat', payload: { text: 'hi' }, id: 'm-1', replayed: false, self: false },
      { event: 'chat', payload: { text: 'stored' }, id: 'db-1', replayed: false, self: false },
      { event: 'chat', payload: { text: 'no id' }, id: null, replayed: false, self: false },
    ])
  })

  it('recognises its own echo when the channel receives its own messages', async () => {
    const { registry, seen } = setup()
    await joined(registry, { channel: 'room', broadcast: { self: true } })
    const sent = await registry.send('room', 'chat', { text: 'mine' }, 1000)
    expect(sent).toMatchObject({ echo: true, via: 'socket' })
    const pushed = fake.channel('room').pushes[0]?.payload as { payload: Record<string, unknown> }
    expect(pushed.payload).toEqual({ text: 'mine', _realtimeMessageId: sent.id })
    fake.channel('room').broadcast('chat', pushed.payload)
    expect(seen.messages).toEqual([{ event: 'chat', payload: { text: 'mine' }, id: sent.id, replayed: false, self: true }])
  })

  it('routes events with the reserved prefix away from the messages', async () => {
    const { registry, seen } = setup({ reservedPrefix: 'live:' })
    await joined(registry, { channel: 'room' })
    fake.channel('room').broadcast('live:cursor', { x: 1 })
    fake.channel('room').broadcast('chat', { text: 'hi' })
    expect(seen.reserved.map((m) => m.event)).toEqual(['live:cursor'])
    expect(seen.messages.map((m) => m.event)).toEqual(['chat'])
  })

  it('passes one database frame on once, to the user binding before the companion one', async () => {
    const { registry, seen } = setup()
    await joined(registry, { channel: 'db', postgresChanges: [{ event: '*', table: 'items', filter: 'room=eq.1' }] }, true)
    // The frame matches the user's binding and the unfiltered UPDATE companion: one object, passed on once.
    fake.channel('db').change('items', 'UPDATE', { id: 1, room: 1 })
    fake.channel('db').change('items', 'INSERT', { id: 2, room: 1 })
    expect(seen.changes).toEqual([
      { table: 'items', companion: false },
      { table: 'items', companion: false },
    ])
  })
})

describe('channel registry: pushes', () => {
  it('sends a broadcast made during a rejoin once the channel is joined again', async () => {
    const { registry } = setup()
    await joined(registry, { channel: 'room' })
    const channel = fake.channel('room')
    channel.error('socket closed')
    const sending = registry.send('room', 'chat', { text: 'later' }, 2000)
    await tick()
    expect(channel.pushes).toEqual([])
    channel.join()
    await expect(sending).resolves.toMatchObject({ echo: false, via: 'socket' })
    expect(channel.pushes).toHaveLength(1)
  })

  it('fails a broadcast when the channel does not come back in time, saying the connection is down', async () => {
    const { registry } = setup()
    await joined(registry, { channel: 'room' })
    fake.channel('room').error('socket closed')
    await expect(registry.send('room', 'chat', {}, 30)).rejects.toMatchObject({ code: 'SEND_TIMED_OUT', field: 'timeoutMs', details: { status: 'CHANNEL_ERROR' } })
  })

  it('sends a volatile broadcast only while joined and connected, straight to the socket', async () => {
    const { registry } = setup()
    expect(registry.sendVolatile('room', 'live:cursor', { x: 1 })).toBe(false)
    await joined(registry, { channel: 'room' })
    expect(registry.sendVolatile('room', 'live:cursor', { x: 1 })).toBe(true)
    expect(fake.socketPushes).toEqual([{ topic: 'realtime:room', event: 'broadcast', payload: { type: 'broadcast', event: 'live:cursor', payload: { x: 1 } }, ref: '' }])
    fake.connected = false
    expect(registry.sendVolatile('room', 'live:cursor', { x: 2 })).toBe(false)
    fake.connected = true
    fake.channel('room').error('socket closed')
    expect(registry.sendVolatile('room', 'live:cursor', { x: 3 })).toBe(false)
    expect(fake.socketPushes).toHaveLength(1)
    expect(fake.channel('room').pushes).toEqual([])
  })

  it('refuses presence on a channel that is not subscribed', async () => {
    const { registry } = setup()
    await expect(registry.track('nowhere', { a: 1 }, 100)).rejects.toMatchObject({ code: 'CHANNEL_NOT_SUBSCRIBED', field: 'channel' })
  })
})
