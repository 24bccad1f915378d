/**
 * Conformance of the local Realtime server with the real, pinned `@supabase/supabase-js` client,
 * over both protocol versions. Every test talks to a server started on a free port in this file.
 */
import { createClient, type RealtimeChannel, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { startRealtimeServer } from '../../server/index'
import type { RealtimeLogger } from '../../server/logger'
import { signJwt } from '../../server/jwt'
import { RawSocket, sleep, waitUntil, type ProtocolVsn, type RefusedUpgrade } from '../helpers/raw-socket'

type Server = Awaited<ReturnType<typeof startRealtimeServer>>

/** Errors the servers of this file log; any of them means the server threw while handling input. */
const serverErrors: string[] = []
const logger: RealtimeLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: (message, meta) => {
    serverErrors.push(`${message} ${JSON.stringify(meta ?? {})}`)
  },
}
/** The `transport` option type; `ws`'s typings differ from the DOM ones the client declares. */
type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>
type SubscribeStatus = Parameters<NonNullable<Parameters<RealtimeChannel['subscribe']>[0]>>[0]

interface StatusEvent {
  status: SubscribeStatus
  error: string | null
}

interface Received {
  event: string
  payload: unknown
}

/** A supabase-js client whose underlying websockets we can reach (to kill them without a leave). */
interface TestClient {
  client: SupabaseClient
  sockets: WebSocket[]
}

let server: Server
const openClients: TestClient[] = []
let topicCounter = 0

function uniqueTopic(prefix: string): string {
  topicCounter += 1
  return `${prefix}-${topicCounter}-${Date.now().toString(36)}`
}

function makeClient(
  target: Server,
  vsn: ProtocolVsn,
  options: { key?: string; heartbeatIntervalMs?: number; accessToken?: () => Promise<string> } = {},
): TestClient {
  const sockets: WebSocket[] = []
  class TrackedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols)
      sockets.push(this)
    }
  }
  const client = createClient(target.url, options.key ?? target.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    realtime: {
      transport: TrackedWebSocket as unknown as Transport,
      vsn,
      timeout: 10_000,
      ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    },
  })
  const handle = { client, sockets }
  openClients.push(handle)
  return handle
}

/** Subscribe and record every status the channel reports. */
function subscribeRecording(channel: RealtimeChannel): StatusEvent[] {
  const statuses: StatusEvent[] = []
  channel.subscribe((status, error) => {
    statuses.push({ status, error: error ? error.message : null })
  })
  return statuses
}

async function subscribed(channel: RealtimeChannel): Promise<StatusEvent[]> {
  const statuses = subscribeRecording(channel)
  await waitUntil(() => statuses.some((s) => s.status === 'SUBSCRIBED'), {
    message: () => `SUBSCRIBED on ${channel.topic}, got ${JSON.stringify(statuses)}`,
  })
  return statuses
}

/** Listen to every broadcast event of a channel. */
function collectBroadcasts(channel: RealtimeChannel): Received[] {
  const inbox: Received[] = []
  channel.on('broadcast', { event: '*' }, (message) => {
    inbox.push({ event: String(message.event), payload: message.payload })
  })
  return inbox
}

function payloadsOf(inbox: Received[], event: string): unknown[] {
  return inbox.filter((m) => m.event === event).map((m) => m.payload)
}

beforeAll(async () => {
  server = await startRealtimeServer({ port: 0, database: false, logger, connectErrorBackoffMs: 0, channelErrorBackoffMs: 0 })
})

afterEach(async () => {
  vi.restoreAllMocks()
  expect(serverErrors.splice(0)).toEqual([])
  const clients = openClients.splice(0)
  await Promise.all(
    clients.map(async ({ client }) => {
      await client.removeAllChannels()
      await client.realtime.disconnect()
    }),
  )
})

afterAll(async () => {
  await server.stop()
})

describe.each(['1.0.0', '2.0.0'] as const)('supabase-js over vsn %s', (vsn) => {
  describe('subscribe and unsubscribe', () => {
    it('reports SUBSCRIBED after the join and CLOSED after unsubscribe', async () => {
      const { client } = makeClient(server, vsn)
      const channel = client.channel(uniqueTopic('status'))
      const statuses = await subscribed(channel)
      expect(channel.state).toBe('joined')

      await expect(channel.unsubscribe()).resolves.toBe('ok')
      await waitUntil(() => statuses.some((s) => s.status === 'CLOSED'))
      expect(statuses.map((s) => s.status)).toEqual(['SUBSCRIBED', 'CLOSED'])
    })

    it('stops delivering broadcasts to a channel after unsubscribe', async () => {
      const topic = uniqueTopic('unsub')
      const a = makeClient(server, vsn).client.channel(topic)
      const b = makeClient(server, vsn).client.channel(topic)
      const inboxA = collectBroadcasts(a)
      const inboxB = collectBroadcasts(b)
      await subscribed(a)
      await subscribed(b)
      const sender = makeClient(server, vsn).client.channel(topic, { config: { broadcast: { ack: true } } })
      await subscribed(sender)

      await expect(sender.send({ type: 'broadcast', event: 'before', payload: { n: 1 } })).resolves.toBe('ok')
      await waitUntil(() => inboxA.length === 1 && inboxB.length === 1)

      await expect(a.unsubscribe()).resolves.toBe('ok')
      // NOTE: the client does not wait for the leave reply; wait until the server dropped the member.
      await sleep(200)
      await expect(sender.send({ type: 'broadcast', event: 'after', payload: { n: 2 } })).resolves.toBe('ok')
      await waitUntil(() => inboxB.length === 2)
      expect(payloadsOf(inboxB, 'after')).toEqual([{ n: 2 }])
      expect(inboxA).toEqual([{ event: 'before', payload: { n: 1 } }])
    })
  })

  describe('broadcast across three clients', () => {
    it('without self: the two others receive, the sender does not, and ack resolves ok', async () => {
      const topic = uniqueTopic('noself')
      const a = makeClient(server, vsn).client.channel(topic, { config: { broadcast: { self: false, ack: true } } })
      const b = makeClient(server, vsn).client.channel(topic)
      const c = makeClient(server, vsn).client.channel(topic)
      const [inboxA, inboxB, inboxC] = [collectBroadcasts(a), collectBroadcasts(b), collectBroadcasts(c)]
      await Promise.all([subscribed(a), subscribed(b), subscribed(c)])

      await expect(a.send({ type: 'broadcast', event: 'hello', payload: { from: 'a', n: 1 } })).resolves.toBe('ok')
      await waitUntil(() => inboxB.length === 1 && inboxC.length === 1)
      // A marker from B after the first message: once A has it, A would also have had its own message.
      await expect(b.send({ type: 'broadcast', event: 'marker', payload: { from: 'b' } })).resolves.toBe('ok')
      await waitUntil(() => inboxA.length >= 1 && inboxC.length === 2)

      expect(inboxA).toEqual([{ event: 'marker', payload: { from: 'b' } }])
      expect(inboxB).toEqual([{ event: 'hello', payload: { from: 'a', n: 1 } }])
      expect(inboxC).toEqual([
        { event: 'hello', payload: { from: 'a', n: 1 } },
        { event: 'marker', payload: { from: 'b' } },
      ])
    })

    it('with self: all three receive exactly one copy, and ack resolves ok', async () => {
      const topic = uniqueTopic('self')
      const a = makeClient(server, vsn).client.channel(topic, { config: { broadcast: { self: true, ack: true } } })
      const b = makeClient(server, vsn).client.channel(topic)
      const c = makeClient(server, vsn).client.channel(topic)
      const inboxes = [collectBroadcasts(a), collectBroadcasts(b), collectBroadcasts(c)]
      await Promise.all([subscribed(a), subscribed(b), subscribed(c)])

      await expect(a.send({ type: 'broadcast', event: 'hello', payload: { n: 7, text: 'héllo ✓' } })).resolves.toBe('ok')
      await waitUntil(() => inboxes.every((inbox) => inbox.length >= 1))
      await sleep(100)
      for (const inbox of inboxes) expect(inbox).toEqual([{ event: 'hello', payload: { n: 7, text: 'héllo ✓' } }])
    })

    it('without ack: send resolves ok and the message is delivered in order', async () => {
      const topic = uniqueTopic('noack')
      const a = makeClient(server, vsn).client.channel(topic, { config: { broadcast: { ack: false } } })
      const b = makeClient(server, vsn).client.channel(topic)
      const c = makeClient(server, vsn).client.channel(topic)
      const inboxB = collectBroadcasts(b)
      const inboxC = collectBroadcasts(c)
      await Promise.all([subscribed(a), subscribed(b), subscribed(c)])

      for (let n = 0; n < 20; n++) await expect(a.send({ type: 'broadcast', event: 'tick', payload: { n } })).resolves.toBe('ok')
      await waitUntil(() => inboxB.length === 20 && inboxC.length === 20)
      const expected = Array.from({ length: 20 }, (_, n) => ({ n }))
      expect(payloadsOf(inboxB, 'tick')).toEqual(expected)
      expect(payloadsOf(inboxC, 'tick')).toEqual(expected)
    })

    it('matches the event filter case-insensitively and ignores other events', async () => {
      const topic = uniqueTopic('filter')
      const a = makeClient(server, vsn).client.channel(topic, { config: { broadcast: { ack: true } } })
      const b = makeClient(server, vsn).client.channel(topic)
      const cursor: unknown[] = []
      const everything: unknown[] = []
      b.on('broadcast', { event: 'cursor' }, (m) => cursor.push(m.payload))
      b.on('broadcast', { event: '*' }, (m) => everything.push(m.event))
      await Promise.all([subscribed(a), subscribed(b)])

      await a.send({ type: 'broadcast', event: 'CURSOR', payload: { x: 1 } })
      await a.send({ type: 'broadcast', event: 'other', payload: { x: 2 } })
      await waitUntil(() => everything.length === 2)
      expect(cursor).toEqual([{ x: 1 }])
      expect(everything).toEqual(['CURSOR', 'other'])
    })
  })

  describe('REST', () => {
    it('send() before the join falls back to the batch endpoint, and subscribers receive it', async () => {
      const topic = uniqueTopic('fallback')
      const receiver = makeClient(server, vsn).client.channel(topic)
      const inbox = collectBroadcasts(receiver)
      await subscribed(receiver)
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)

      const notJoined = makeClient(server, vsn).client.channel(topic)
      await expect(notJoined.send({ type: 'broadcast', event: 'via-rest', payload: { n: 1, ok: true } })).resolves.toBe('ok')

      expect(warn.mock.calls.some((args) => String(args[0]).includes('falling back to REST'))).toBe(true)
      await waitUntil(() => inbox.length === 1)
      expect(inbox).toEqual([{ event: 'via-rest', payload: { n: 1, ok: true } }])
    })

    it('httpSend() posts a JSON payload to the single endpoint and subscribers receive it', async () => {
      const topic = uniqueTopic('httpsend')
      const receiver = makeClient(server, vsn).client.channel(topic)
      const inbox = collectBroadcasts(receiver)
      await subscribed(receiver)

      const sender = makeClient(server, vsn).client.channel(topic)
      await expect(sender.httpSend('note', { text: 'hi', list: [1, 2] })).resolves.toEqual({ success: true })
      await waitUntil(() => inbox.length === 1)
      expect(inbox).toEqual([{ event: 'note', payload: { text: 'hi', list: [1, 2] } }])
    })

    it('the batch endpoint rejects a bad apikey with 401', async () => {
      const response = await fetch(`${server.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: 'not-a-valid-key' },
        body: JSON.stringify({ messages: [{ topic: 'x', event: 'y', payload: {} }] }),
      })
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ message: 'Unauthorized' })
    })
  })

  describe('presence', () => {
    interface PresenceLog {
      joins: Array<{ key: string; metas: unknown[] }>
      leaves: Array<{ key: string; metas: unknown[] }>
      syncs: number
    }

    function presenceChannel(client: SupabaseClient, topic: string, key: string): { channel: RealtimeChannel; log: PresenceLog } {
      const channel = client.channel(topic, { config: { presence: { key } } })
      const log: PresenceLog = { joins: [], leaves: [], syncs: 0 }
      const strip = (metas: Array<Record<string, unknown>>): unknown[] => metas.map(({ presence_ref: _ref, ...rest }) => rest)
      channel
        .on('presence', { event: 'sync' }, () => {
          log.syncs += 1
        })
        .on('presence', { event: 'join' }, ({ key: k, newPresences }) => {
          log.joins.push({ key: k, metas: strip(newPresences) })
        })
        .on('presence', { event: 'leave' }, ({ key: k, leftPresences }) => {
          log.leaves.push({ key: k, metas: strip(leftPresences) })
        })
      return { channel, log }
    }

    function stateOf(channel: RealtimeChannel): Record<string, unknown[]> {
      const state = channel.presenceState()
      return Object.fromEntries(
        Object.entries(state).map(([key, metas]) => [key, metas.map(({ presence_ref: _ref, ...rest }) => rest)]),
      )
    }

    it('syncs, joins, updates and leaves across three clients', async () => {
      const topic = uniqueTopic('presence')
      const a = presenceChannel(makeClient(server, vsn).client, topic, 'user-a')
      const b = presenceChannel(makeClient(server, vsn).client, topic, 'user-b')
      const c = presenceChannel(makeClient(server, vsn).client, topic, 'user-c')
      await Promise.all([subscribed(a.channel), subscribed(b.channel), subscribed(c.channel)])
      await waitUntil(() => a.log.syncs > 0 && b.log.syncs > 0 && c.log.syncs > 0, { message: 'initial presence sync' })

      await expect(a.channel.track({ name: 'Ada', status: 'online' })).resolves.toBe('ok')
      await expect(b.channel.track({ name: 'Bob' })).resolves.toBe('ok')
      await waitUntil(() => Object.keys(c.channel.presenceState()).length === 2, { message: 'two presences on C' })
      expect(stateOf(c.channel)).toEqual({ 'user-a': [{ name: 'Ada', status: 'online' }], 'user-b': [{ name: 'Bob' }] })
      expect(c.log.joins).toEqual([
        { key: 'user-a', metas: [{ name: 'Ada', status: 'online' }] },
        { key: 'user-b', metas: [{ name: 'Bob' }] },
      ])
      // The tracker sees itself too.
      await waitUntil(() => Object.keys(a.channel.presenceState()).length === 2)

      // Update: the old meta leaves, the new meta joins, the state shows only the new one.
      await expect(a.channel.track({ name: 'Ada', status: 'away' })).resolves.toBe('ok')
      await waitUntil(() => c.log.leaves.length === 1 && c.log.joins.length === 3, { message: () => `update on C: ${JSON.stringify(c.log)}` })
      expect(c.log.leaves).toEqual([{ key: 'user-a', metas: [{ name: 'Ada', status: 'online' }] }])
      expect(c.log.joins[2]).toEqual({ key: 'user-a', metas: [{ name: 'Ada', status: 'away' }] })
      expect(stateOf(c.channel)).toEqual({ 'user-a': [{ name: 'Ada', status: 'away' }], 'user-b': [{ name: 'Bob' }] })
      await waitUntil(() => JSON.stringify(stateOf(b.channel)) === JSON.stringify(stateOf(c.channel)))

      // Untrack: a leave for B's key everywhere.
      await expect(b.channel.untrack()).resolves.toBe('ok')
      await waitUntil(() => c.log.leaves.length === 2 && a.log.leaves.some((l) => l.key === 'user-b'))
      expect(c.log.leaves[1]).toEqual({ key: 'user-b', metas: [{ name: 'Bob' }] })
      expect(stateOf(c.channel)).toEqual({ 'user-a': [{ name: 'Ada', status: 'away' }] })
    })

    it('keeps one meta per connection under a shared key, and removes only the leaver', async () => {
      const topic = uniqueTopic('presence-shared')
      const first = presenceChannel(makeClient(server, vsn).client, topic, 'shared')
      const second = presenceChannel(makeClient(server, vsn).client, topic, 'shared')
      const watcher = presenceChannel(makeClient(server, vsn).client, topic, 'watcher')
      await Promise.all([subscribed(first.channel), subscribed(second.channel), subscribed(watcher.channel)])
      await first.channel.track({ tab: 1 })
      await second.channel.track({ tab: 2 })
      await waitUntil(() => (watcher.channel.presenceState().shared ?? []).length === 2)
      expect(stateOf(watcher.channel).shared).toEqual(expect.arrayContaining([{ tab: 1 }, { tab: 2 }]))

      await expect(first.channel.unsubscribe()).resolves.toBe('ok')
      await waitUntil(() => watcher.log.leaves.length === 1, { message: () => `the leave of the first tab: ${JSON.stringify(watcher.log)}` })
      expect(watcher.log.leaves).toEqual([{ key: 'shared', metas: [{ tab: 1 }] }])
      expect(stateOf(watcher.channel)).toEqual({ shared: [{ tab: 2 }] })
    })

    it('tracking the same payload again changes nothing', async () => {
      const topic = uniqueTopic('presence-same')
      const a = presenceChannel(makeClient(server, vsn).client, topic, 'user-a')
      const b = presenceChannel(makeClient(server, vsn).client, topic, 'user-b')
      await Promise.all([subscribed(a.channel), subscribed(b.channel)])
      await a.channel.track({ name: 'Ada' })
      await waitUntil(() => b.log.joins.length === 1)
      await expect(a.channel.track({ name: 'Ada' })).resolves.toBe('ok')
      // A broadcast round trip after the second track: any presence diff would have arrived before it.
      const marker: unknown[] = []
      b.channel.on('broadcast', { event: 'marker' }, (m) => marker.push(m.payload))
      const sender = makeClient(server, vsn).client.channel(topic)
      await subscribed(sender)
      await sender.send({ type: 'broadcast', event: 'marker', payload: {} })
      await waitUntil(() => marker.length === 1)
      expect(b.log.joins).toHaveLength(1)
      expect(b.log.leaves).toHaveLength(0)
    })

    it('shows a leave promptly when a member socket is killed without a leave', async () => {
      const topic = uniqueTopic('presence-kill')
      const a = presenceChannel(makeClient(server, vsn).client, topic, 'user-a')
      const b = presenceChannel(makeClient(server, vsn).client, topic, 'user-b')
      const victim = makeClient(server, vsn)
      const c = presenceChannel(victim.client, topic, 'user-c')
      await Promise.all([subscribed(a.channel), subscribed(b.channel), subscribed(c.channel)])
      await c.channel.track({ name: 'Cy' })
      await waitUntil(() => 'user-c' in a.channel.presenceState() && 'user-c' in b.channel.presenceState())

      const socket = victim.sockets.at(-1)
      expect(socket?.readyState).toBe(WebSocket.OPEN)
      socket?.terminate()

      await waitUntil(() => a.log.leaves.some((l) => l.key === 'user-c') && b.log.leaves.some((l) => l.key === 'user-c'), {
        timeoutMs: 5_000,
        message: 'the leave of the killed member',
      })
      expect(a.log.leaves.find((l) => l.key === 'user-c')).toEqual({ key: 'user-c', metas: [{ name: 'Cy' }] })
      expect('user-c' in a.channel.presenceState()).toBe(false)
      await victim.client.realtime.disconnect()
    })
  })

  describe('presence across reconnects', () => {
    it('resyncs presence after the socket drops and the client rejoins with a new join_ref', async () => {
      const topic = uniqueTopic('presence-rejoin')
      const a = makeClient(server, vsn)
      const channelA = a.client.channel(topic, { config: { presence: { key: 'user-a' } } })
      const syncsA: number[] = []
      channelA.on('presence', { event: 'sync' }, () => syncsA.push(Date.now()))
      const b = makeClient(server, vsn).client.channel(topic, { config: { presence: { key: 'user-b' } } })
      b.on('presence', { event: 'sync' }, () => undefined)
      const statusesA = await subscribed(channelA)
      await subscribed(b)
      await b.track({ name: 'Bob' })
      await waitUntil(() => 'user-b' in channelA.presenceState())

      a.sockets.at(-1)?.terminate()
      await waitUntil(() => statusesA.filter((s) => s.status === 'SUBSCRIBED').length === 2, {
        timeoutMs: 15_000,
        message: () => `a second SUBSCRIBED after the reconnect, got ${JSON.stringify(statusesA)}`,
      })
      expect(a.sockets).toHaveLength(2)
      expect(statusesA.map((s) => s.status)).toEqual(['SUBSCRIBED', 'CHANNEL_ERROR', 'SUBSCRIBED'])

      // presence_state of the new join must carry the new join_ref, or the client drops it and never syncs.
      const syncsBefore = syncsA.length
      await expect(channelA.track({ name: 'Ada' })).resolves.toBe('ok')
      await waitUntil(() => syncsA.length > syncsBefore && 'user-a' in channelA.presenceState() && 'user-b' in channelA.presenceState(), {
        message: () => `A's presence after the rejoin: ${JSON.stringify(channelA.presenceState())}`,
      })
      await waitUntil(() => 'user-a' in b.presenceState())
    })

    it('shows a client that tracks without presence listeners to the others', async () => {
      const topic = uniqueTopic('presence-off')
      const quiet = makeClient(server, vsn).client.channel(topic)
      const watcher = makeClient(server, vsn).client.channel(topic)
      watcher.on('presence', { event: 'sync' }, () => undefined)
      await Promise.all([subscribed(quiet), subscribed(watcher)])
      await expect(quiet.track({ name: 'Quiet' })).resolves.toBe('ok')
      await waitUntil(() => Object.values(watcher.presenceState()).flat().length === 1)
      const metas = Object.values(watcher.presenceState()).flat() as Array<Record<string, unknown>>
      expect(metas[0]).toMatchObject({ name: 'Quiet' })
      // With an empty key the server makes one up per join.
      expect(Object.keys(watcher.presenceState())[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    })
  })

  describe('token lifetime', () => {
    it('closes the channel with a system message when the user token expires', async () => {
      const token = signJwt({ role: 'authenticated', sub: 'u1', exp: Math.floor(Date.now() / 1000) + 2 }, server.jwtSecret)
      const { client } = makeClient(server, vsn, { accessToken: () => Promise.resolve(token) })
      // NOTE: without this the first join races the token callback and goes out with the apikey only
      // (docs/realtime-protocol.md §2.2); the docs recommend awaiting setAuth() before subscribing.
      await client.realtime.setAuth()
      const channel = client.channel(uniqueTopic('expiry'))
      const system: Array<Record<string, unknown>> = []
      channel.on('system', {}, (payload: Record<string, unknown>) => system.push(payload))
      const statuses = await subscribed(channel)
      await waitUntil(() => statuses.some((s) => s.status === 'CLOSED'), { timeoutMs: 10_000, message: 'CLOSED at token expiry' })
      expect(statuses.map((s) => s.status)).toEqual(['SUBSCRIBED', 'CLOSED'])
      expect(system).toHaveLength(1)
      expect(system[0]).toMatchObject({ extension: 'system', status: 'error', channel: channel.subTopic })
      expect(String(system[0]?.message)).toMatch(/^Token has expired \d+ seconds ago$/)
    })

    it('keeps the channel past the first expiry when the client refreshes the token', async () => {
      let calls = 0
      const accessToken = (): Promise<string> => {
        calls += 1
        const lifetime = calls <= 2 ? 2 : 3600
        return Promise.resolve(signJwt({ role: 'authenticated', sub: 'u1', exp: Math.floor(Date.now() / 1000) + lifetime, n: calls }, server.jwtSecret))
      }
      const { client } = makeClient(server, vsn, { accessToken, heartbeatIntervalMs: 300 })
      await client.realtime.setAuth()
      const topic = uniqueTopic('refresh')
      const channel = client.channel(topic)
      const inbox = collectBroadcasts(channel)
      const statuses = await subscribed(channel)
      await sleep(3_500)
      expect(calls).toBeGreaterThan(2)
      expect(statuses.map((s) => s.status)).toEqual(['SUBSCRIBED'])
      const sender = makeClient(server, vsn).client.channel(topic, { config: { broadcast: { ack: true } } })
      await subscribed(sender)
      await expect(sender.send({ type: 'broadcast', event: 'alive', payload: {} })).resolves.toBe('ok')
      await waitUntil(() => inbox.length === 1)
    })
  })

  describe('channel auth', () => {
    async function firstError(token: string): Promise<string | null> {
      const { client } = makeClient(server, vsn)
      await client.realtime.setAuth(token)
      const channel = client.channel(uniqueTopic('auth'))
      const statuses = subscribeRecording(channel)
      await waitUntil(() => statuses.length > 0, { message: 'a status after joining with a bad token' })
      expect(statuses[0]?.status).toBe('CHANNEL_ERROR')
      return statuses[0]?.error ?? null
    }

    it('rejects a join with an expired token with the exact reason', async () => {
      const token = signJwt({ role: 'authenticated', sub: 'u1', exp: Math.floor(Date.now() / 1000) - 120 }, server.jwtSecret)
      const reason = await firstError(token)
      const match = /^InvalidJWTToken: Token has expired (\d+) seconds ago$/.exec(reason ?? '')
      expect(match, `reason was ${String(reason)}`).not.toBeNull()
      expect(Number(match?.[1])).toBeGreaterThanOrEqual(120)
      expect(Number(match?.[1])).toBeLessThan(180)
    })

    it('rejects a join with a token signed by another secret', async () => {
      const token = signJwt({ role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 }, 'a-completely-different-secret-of-32-chars')
      expect(await firstError(token)).toBe('JwtSignatureError: Failed to validate JWT signature')
    })

    it('rejects a join with a token that is not a JWT', async () => {
      expect(await firstError('this-is-not-a-jwt')).toBe('MalformedJWT: The token provided is not a valid JWT')
    })

    it('rejects a join with a token missing role', async () => {
      const token = signJwt({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret)
      expect(await firstError(token)).toBe('InvalidJWTToken: Fields `role` and `exp` are required in JWT')
    })

    it('accepts a join with a valid user token', async () => {
      const token = signJwt({ role: 'authenticated', sub: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret)
      const { client } = makeClient(server, vsn)
      await client.realtime.setAuth(token)
      const statuses = await subscribed(client.channel(uniqueTopic('auth-ok')))
      expect(statuses.map((s) => s.status)).toEqual(['SUBSCRIBED'])
    })
  })

  describe('connect auth', () => {
    it.each([
      ['a key that is not a JWT', () => 'not-a-jwt', 'The token provided is not a valid JWT'],
      ['a forged key', () => signJwt({ role: 'anon', exp: Math.floor(Date.now() / 1000) + 3600 }, 'some-other-secret-that-is-long-enough'), 'Failed to validate JWT signature'],
      ['an expired key', () => signJwt({ role: 'anon', exp: Math.floor(Date.now() / 1000) - 10 }, server.jwtSecret), 'Token has expired'],
      ['a key without role', () => signJwt({ exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret), 'Fields `role` and `exp` are required in JWT'],
    ])('refuses the upgrade with HTTP 401 and a JSON error for %s', async (_label, key, error) => {
      const result = await RawSocket.tryConnect(server.url, { vsn, apikey: key() })
      expect(result).not.toBeInstanceOf(RawSocket)
      const refused = result as RefusedUpgrade
      expect(refused.status).toBe(401)
      expect(JSON.parse(refused.body)).toEqual({ error })
    })

    it('refuses an upgrade without apikey with HTTP 401', async () => {
      const result = await RawSocket.tryConnect(server.url, { vsn, apikey: null })
      expect((result as RefusedUpgrade).status).toBe(401)
      expect(JSON.parse((result as RefusedUpgrade).body)).toEqual({ error: 'API key is missing' })
    })

    it('reports CHANNEL_ERROR to supabase-js when the apikey is refused', async () => {
      const { client } = makeClient(server, vsn, { key: 'not-a-jwt' })
      const statuses = subscribeRecording(client.channel(uniqueTopic('badkey')))
      await waitUntil(() => statuses.length > 0)
      expect(statuses[0]).toEqual({ status: 'CHANNEL_ERROR', error: 'channel error: transport failure' })
    })

    it('accepts the service role key', async () => {
      const { client } = makeClient(server, vsn, { key: server.serviceRoleKey })
      const statuses = await subscribed(client.channel(uniqueTopic('service')))
      expect(statuses.map((s) => s.status)).toEqual(['SUBSCRIBED'])
    })
  })
})

describe('mixed protocol versions', () => {
  it('delivers broadcasts between vsn 1 and vsn 2 clients in both directions', async () => {
    const topic = uniqueTopic('mixed')
    const v1 = makeClient(server, '1.0.0').client.channel(topic, { config: { broadcast: { ack: true } } })
    const v2 = makeClient(server, '2.0.0').client.channel(topic, { config: { broadcast: { ack: true } } })
    const inbox1 = collectBroadcasts(v1)
    const inbox2 = collectBroadcasts(v2)
    await Promise.all([subscribed(v1), subscribed(v2)])

    await expect(v1.send({ type: 'broadcast', event: 'from-v1', payload: { a: [1, { b: null }] } })).resolves.toBe('ok')
    await expect(v2.send({ type: 'broadcast', event: 'from-v2', payload: { s: 'ünïcode ✓' } })).resolves.toBe('ok')
    await waitUntil(() => inbox1.length === 1 && inbox2.length === 1)
    expect(inbox2).toEqual([{ event: 'from-v1', payload: { a: [1, { b: null }] } }])
    expect(inbox1).toEqual([{ event: 'from-v2', payload: { s: 'ünïcode ✓' } }])
  })

  it('delivers a binary httpSend as bytes to vsn 2 and does not break vsn 1 subscribers', async () => {
    const topic = uniqueTopic('binary')
    const v1 = makeClient(server, '1.0.0').client.channel(topic)
    const v2 = makeClient(server, '2.0.0').client.channel(topic)
    const inbox1 = collectBroadcasts(v1)
    const inbox2 = collectBroadcasts(v2)
    await Promise.all([subscribed(v1), subscribed(v2)])

    const sender = makeClient(server, '2.0.0').client.channel(topic)
    await expect(sender.httpSend('bin', new Uint8Array([1, 2, 3, 255]).buffer)).resolves.toEqual({ success: true })
    await waitUntil(() => inbox2.length === 1)
    const bytes = inbox2[0]?.payload
    expect(bytes).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(bytes as ArrayBuffer)]).toEqual([1, 2, 3, 255])

    // The vsn 1 client must still be alive and receive the next JSON message.
    await expect(sender.httpSend('after', { ok: true })).resolves.toEqual({ success: true })
    await waitUntil(() => inbox1.some((m) => m.event === 'after'))
    expect(payloadsOf(inbox1, 'after')).toEqual([{ ok: true }])
    expect(v1.state).toBe('joined')
  })
})

describe('many clients', () => {
  it('delivers every message exactly once and in per-sender order to every other client', async () => {
    const topic = uniqueTopic('crowd')
    const count = 8
    const perSender = 40
    const members = Array.from({ length: count }, (_, i) => {
      const vsn: ProtocolVsn = i % 2 === 0 ? '2.0.0' : '1.0.0'
      const channel = makeClient(server, vsn).client.channel(topic, { config: { broadcast: { ack: i % 3 === 0 } } })
      const got = new Map<number, number[]>()
      channel.on('broadcast', { event: 'n' }, ({ payload }) => {
        const { from, n } = payload as { from: number; n: number }
        got.set(from, [...(got.get(from) ?? []), n])
      })
      return { channel, got }
    })
    await Promise.all(members.map((m) => subscribed(m.channel)))

    await Promise.all(
      members.map(async (m, from) => {
        for (let n = 0; n < perSender; n++) expect(await m.channel.send({ type: 'broadcast', event: 'n', payload: { from, n } })).toBe('ok')
      }),
    )
    const expected = Array.from({ length: perSender }, (_, n) => n)
    await waitUntil(() => members.every((m) => [...m.got.values()].reduce((sum, list) => sum + list.length, 0) === (count - 1) * perSender), {
      timeoutMs: 20_000,
      message: 'every message at every other client',
    })
    members.forEach((m, me) => {
      expect(m.got.has(me)).toBe(false)
      for (let from = 0; from < count; from++) if (from !== me) expect(m.got.get(from), `client ${me} from ${from}`).toEqual(expected)
    })
  })
})

describe('server restart', () => {
  it('disconnects clients on stop, and they rejoin a server restarted on the same port', async () => {
    const first = await startRealtimeServer({ port: 0, database: false, logger, connectErrorBackoffMs: 0, channelErrorBackoffMs: 0 })
    let second: Server | null = null
    try {
      const topic = uniqueTopic('restart')
      const listener = makeClient(first, '2.0.0')
      const channel = listener.client.channel(topic)
      const inbox = collectBroadcasts(channel)
      const statuses = await subscribed(channel)

      await first.stop()
      await waitUntil(() => statuses.some((s) => s.status === 'CHANNEL_ERROR'), { message: 'CHANNEL_ERROR after stop' })
      expect(statuses.find((s) => s.status === 'CHANNEL_ERROR')?.error).toMatch(/^socket closed|transport failure/)

      second = await startRealtimeServer({ port: first.port, database: false, logger, jwtSecret: first.jwtSecret, connectErrorBackoffMs: 0, channelErrorBackoffMs: 0 })
      await waitUntil(() => statuses.filter((s) => s.status === 'SUBSCRIBED').length === 2, {
        timeoutMs: 25_000,
        message: () => `a second SUBSCRIBED, got ${JSON.stringify(statuses)}`,
      })
      const sender = makeClient(second, '2.0.0').client.channel(topic, { config: { broadcast: { ack: true } } })
      await subscribed(sender)
      await expect(sender.send({ type: 'broadcast', event: 'back', payload: { ok: true } })).resolves.toBe('ok')
      await waitUntil(() => inbox.length === 1)
      expect(inbox).toEqual([{ event: 'back', payload: { ok: true } }])
    } finally {
      await first.stop()
      await second?.stop()
    }
  })
})

describe('payload limit seen from supabase-js', () => {
  let small: Server

  beforeAll(async () => {
    small = await startRealtimeServer({ port: 0, database: false, logger, limits: { maxPayloadSizeKb: 1 }, connectErrorBackoffMs: 0, channelErrorBackoffMs: 0 })
  })

  afterAll(async () => {
    await small.stop()
  })

  it.each(['1.0.0', '2.0.0'] as const)('send() resolves error for an oversized payload with ack, and nothing is delivered (vsn %s)', async (vsn) => {
    const topic = uniqueTopic('oversize')
    const receiver = makeClient(small, vsn).client.channel(topic)
    const inbox = collectBroadcasts(receiver)
    const withAck = makeClient(small, vsn).client.channel(topic, { config: { broadcast: { ack: true } } })
    const withoutAck = makeClient(small, vsn).client.channel(topic)
    await Promise.all([subscribed(receiver), subscribed(withAck), subscribed(withoutAck)])

    await expect(withAck.send({ type: 'broadcast', event: 'big', payload: { blob: 'x'.repeat(5_000) } })).resolves.toBe('error')
    await expect(withoutAck.send({ type: 'broadcast', event: 'big', payload: { blob: 'x'.repeat(5_000) } })).resolves.toBe('ok')
    await expect(withAck.send({ type: 'broadcast', event: 'small', payload: { ok: true } })).resolves.toBe('ok')
    await waitUntil(() => inbox.length >= 1)
    await sleep(100)
    expect(inbox).toEqual([{ event: 'small', payload: { ok: true } }])
  })
})

describe('rate limits seen from supabase-js', () => {
  let limited: Server

  beforeAll(async () => {
    limited = await startRealtimeServer({
      port: 0,
      database: false,
      logger,
      limits: { maxEventsPerSecond: 5, rateWindowMs: 4_000 },
      connectErrorBackoffMs: 0,
      channelErrorBackoffMs: 0,
    })
  })

  afterAll(async () => {
    await limited.stop()
  })

  it('closes a flooding channel with a system message, and the channel reports CLOSED', async () => {
    const { client } = makeClient(limited, '2.0.0')
    const channel = client.channel(uniqueTopic('flood'))
    const system: Array<Record<string, unknown>> = []
    channel.on('system', {}, (payload: Record<string, unknown>) => system.push(payload))
    const statuses = await subscribed(channel)
    for (let n = 0; n < 40 && channel.state === 'joined'; n++) await channel.send({ type: 'broadcast', event: 'n', payload: { n } })
    await waitUntil(() => statuses.some((s) => s.status === 'CLOSED'), { message: () => `CLOSED, got ${JSON.stringify(statuses)}` })
    expect(system).toEqual([{ extension: 'system', status: 'error', message: 'Too many messages per second', channel: channel.subTopic }])
    // A closed channel is dead; a new one is needed (docs/realtime-protocol.md §2.6, §8).
    expect(() => channel.subscribe()).toThrow(/tried to join multiple times/)
  })
})

describe('heartbeats keep an idle channel joined', () => {
  let idleServer: Server

  beforeAll(async () => {
    idleServer = await startRealtimeServer({ port: 0, database: false, logger, idleTimeoutMs: 2_000, connectErrorBackoffMs: 0, channelErrorBackoffMs: 0 })
  })

  afterAll(async () => {
    await idleServer.stop()
  })

  it.each(['1.0.0', '2.0.0'] as const)('stays SUBSCRIBED and delivering over vsn %s across many idle timeouts', async (vsn) => {
    const topic = uniqueTopic('idle')
    const listener = makeClient(idleServer, vsn, { heartbeatIntervalMs: 200 })
    const sender = makeClient(idleServer, vsn, { heartbeatIntervalMs: 200 })
    const channel = listener.client.channel(topic)
    const inbox = collectBroadcasts(channel)
    const statuses = await subscribed(channel)
    const out = sender.client.channel(topic, { config: { broadcast: { ack: true } } })
    await subscribed(out)

    await sleep(6_000)

    expect(statuses.map((s) => s.status)).toEqual(['SUBSCRIBED'])
    expect(listener.sockets).toHaveLength(1)
    await expect(out.send({ type: 'broadcast', event: 'still-here', payload: { ok: 1 } })).resolves.toBe('ok')
    await waitUntil(() => inbox.length === 1)
    expect(inbox).toEqual([{ event: 'still-here', payload: { ok: 1 } }])
  })

  it('counts any frame, not only heartbeats, as activity', async () => {
    const raw = await RawSocket.connect(idleServer.url, { vsn: '2.0.0', apikey: idleServer.anonKey })
    try {
      const joinRef = await raw.joinOk('realtime:idle-busy')
      const until = Date.now() + 5_000
      while (Date.now() < until) {
        raw.broadcastBinary({ joinRef, ref: raw.makeRef(), topic: 'realtime:idle-busy', event: 'tick', payload: {} })
        await sleep(150)
      }
      expect(raw.isOpen).toBe(true)
    } finally {
      await raw.close()
    }
  })

  it('closes a socket that sends nothing for longer than the idle timeout', async () => {
    const raw = await RawSocket.connect(idleServer.url, { vsn: '2.0.0', apikey: idleServer.anonKey })
    await raw.joinOk('realtime:idle-raw')
    const closed = await raw.waitForClose(10_000)
    expect(closed.code).toBeGreaterThanOrEqual(1000)
  })
})
