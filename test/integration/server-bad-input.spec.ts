/**
 * Bad input: one raw socket sends at least 10,000 randomized malformed frames (seeded, so a failure
 * reproduces with the printed seed) while two supabase-js clients keep chatting on another topic.
 * The server must stay up, the chat must lose nothing, and the bad socket must get error replies
 * or be closed; what happened is counted and printed.
 */
import { createClient, type RealtimeChannel, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { RealtimeLogger } from '../../server/logger'
import { startRealtimeServer } from '../../server/index'
import {
  concatBytes,
  encodeUserBroadcastPush,
  RawSocket,
  replyOf,
  waitUntil,
  type PhoenixMessage,
  type ProtocolVsn,
} from '../helpers/raw-socket'

type Server = Awaited<ReturnType<typeof startRealtimeServer>>
/** The `transport` option type; `ws`'s typings differ from the DOM ones the client declares. */
type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>

/** Fixed unless `BAD_INPUT_SEED` is set, so a failing run can be replayed. */
const SEED = Number(process.env.BAD_INPUT_SEED ?? 0x5eed_2026)
const FRAME_COUNT = 10_000
const BATCH = 100
/** Reconnect on purpose every this many batches (switching vsn), besides reconnecting after server closes. */
const ROTATE_EVERY_BATCHES = 10
const CHAT_TOPIC = 'chat-under-fire'

/** mulberry32: a tiny, fast, seeded PRNG. */
function createRandom(seed: number): { next(): number; int(max: number): number; pick<T>(items: readonly T[]): T; bytes(n: number): Uint8Array } {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (max: number): number => Math.floor(next() * max)
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    bytes: (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256)),
  }
}

type Category =
  | 'bad-json'
  | 'wrong-arity'
  | 'wrong-types'
  | 'unknown-event'
  | 'unjoined-topic'
  | 'bad-join'
  | 'valid-join'
  | 'presence-garbage'
  | 'broadcast-garbage'
  | 'oversized'
  | 'binary-garbage'
  | 'vsn1-shapes'

interface Frame {
  category: Category
  data: string | Uint8Array
  /** The ref of the frame, when it has a string ref we can match a reply to. */
  ref: string | null
  /** The reply the reference requires for this frame, if any. */
  expect?: { status: 'error'; reason: string }
}

interface Tally {
  sent: number
  okReplies: number
  errorReplies: number
  requiredReplyMissing: number
}

const CATEGORIES: readonly Category[] = [
  'bad-json',
  'wrong-arity',
  'wrong-types',
  'unknown-event',
  'unjoined-topic',
  'bad-join',
  'valid-join',
  'presence-garbage',
  'broadcast-garbage',
  'oversized',
  'binary-garbage',
  'vsn1-shapes',
]

/** Build one random malformed frame for a socket speaking `vsn`, with `joined` topics available. */
function makeFrame(random: ReturnType<typeof createRandom>, index: number, vsn: ProtocolVsn, joined: Map<string, string>): Frame {
  const ref = `f${index}`
  const joinedTopics = [...joined.keys()]
  const anyJoined = joinedTopics.length > 0 ? random.pick(joinedTopics) : null
  const weird: unknown[] = [null, 0, -1, 1.5, true, '', 'x', [], {}, [1, [2]], { a: { b: null } }, 'realtime:', '💥', 'a'.repeat(300)]
  const wire = (joinRef: unknown, r: unknown, topic: unknown, event: unknown, payload: unknown): string =>
    vsn === '2.0.0'
      ? JSON.stringify([joinRef, r, topic, event, payload])
      : JSON.stringify({ topic, event, payload, ref: r, join_ref: joinRef })
  const category = random.pick(CATEGORIES)
  switch (category) {
    case 'bad-json': {
      const samples = ['[', '{"topic":', '[null,"1","phoenix","heartbeat",{}', '\u0000\u0001', 'NaN', '[,,,,]', '{"a":1}}', "['single']", '', ' ']
      const text = random.next() < 0.5 ? random.pick(samples) : Buffer.from(random.bytes(1 + random.int(64))).toString('latin1')
      return { category, data: text, ref: null }
    }
    case 'wrong-arity': {
      const length = random.pick([0, 1, 2, 3, 4, 6, 7, 12])
      const items = Array.from({ length }, (_, i) => (i === 1 ? ref : i === 2 ? 'phoenix' : i === 3 ? 'heartbeat' : random.pick(weird)))
      return { category, data: JSON.stringify(vsn === '2.0.0' ? items : { topic: 'phoenix', ref }), ref: null }
    }
    case 'wrong-types': {
      const topic = random.pick([42, null, ['realtime:x'], { t: 1 }, true])
      const event = random.pick([7, null, ['phx_join'], {}, false])
      const variant = random.int(3)
      if (variant === 0) return { category, data: wire(random.pick(weird), ref, topic, 'phx_join', {}), ref }
      if (variant === 1) return { category, data: wire(null, ref, 'phoenix', event, {}), ref }
      return { category, data: wire(random.pick(weird), random.pick([1, {}, [], true]), anyJoined ?? 'realtime:x', random.pick(['broadcast', 'presence', 'phx_leave']), random.pick(weird)), ref: null }
    }
    case 'unknown-event': {
      const topic = anyJoined ?? 'phoenix'
      return { category, data: wire(anyJoined ? joined.get(anyJoined) : null, ref, topic, random.pick(['dance', 'phx_reply', 'phx_close', 'postgres_changes', 'system', 'PHX_JOIN', 'heartbeat ']), { a: 1 }), ref }
    }
    case 'unjoined-topic': {
      const topic = `realtime:nobody-${random.int(1_000_000)}`
      return {
        category,
        data: wire(String(random.int(1000)), ref, topic, random.pick(['broadcast', 'presence', 'access_token']), { type: 'broadcast', event: 'e', payload: {} }),
        ref,
        expect: { status: 'error', reason: 'unmatched topic' },
      }
    }
    case 'bad-join': {
      const payload = random.pick<unknown>([
        'config',
        null,
        [],
        { config: 'nope' },
        { config: { broadcast: 'yes', presence: 42, postgres_changes: 'all', private: 'maybe' } },
        { config: { presence: { key: { nested: true } } } },
        { access_token: 12345 },
        { access_token: 'not.a.jwt' },
        { config: { broadcast: { replay: { since: 'yesterday' } } } },
      ])
      const topic = random.pick(['realtime:', 'room', '', 'phoenix', `realtime:fuzz-${random.int(50)}`, `realtime:${'z'.repeat(400)}`])
      return { category, data: wire(ref, ref, topic, 'phx_join', payload), ref }
    }
    case 'valid-join': {
      // Now and then the chat topic itself, so garbage also reaches the chatting clients.
      const topic = random.next() < 0.15 ? `realtime:${CHAT_TOPIC}` : `realtime:fuzz-${random.int(40)}`
      return { category, data: wire(ref, ref, topic, 'phx_join', { config: { broadcast: { self: random.next() < 0.5, ack: random.next() < 0.5 }, presence: { enabled: random.next() < 0.5, key: `k${random.int(5)}` } } }), ref }
    }
    case 'presence-garbage': {
      const topic = anyJoined ?? `realtime:fuzz-${random.int(40)}`
      const payload = random.pick<unknown>([
        { type: 'presence', event: 'track', payload: random.pick(weird) },
        { type: 'presence', event: 'track' },
        { type: 'presence', event: random.pick(weird) },
        { type: 'presence' },
        random.pick(weird),
        { type: 'presence', event: 'untrack', payload: { a: 1 } },
        { type: 'presence', event: 'track', payload: { deep: { deeper: { deepest: Array.from({ length: 50 }, (_, i) => i) } } } },
      ])
      return { category, data: wire(anyJoined ? joined.get(anyJoined) : null, ref, topic, 'presence', payload), ref }
    }
    case 'broadcast-garbage': {
      const topic = anyJoined ?? `realtime:fuzz-${random.int(40)}`
      const payload = random.pick<unknown>([
        { type: 'broadcast', event: random.pick(weird), payload: random.pick(weird) },
        { type: 'broadcast' },
        { event: 'no-type', payload: {} },
        random.pick(weird),
        { type: 'broadcast', event: 'e', payload: { ids: [1, 2], data: 'looks like postgres_changes' } },
      ])
      return { category, data: wire(anyJoined ? joined.get(anyJoined) : null, ref, topic, 'broadcast', payload), ref }
    }
    case 'oversized': {
      const topic = anyJoined ?? `realtime:fuzz-${random.int(40)}`
      // Mostly above the configured payload limit (64 KB); rarely above the 5 MB frame limit.
      const size = random.next() < 0.004 ? 5_100_000 : 65_000 + random.int(100_000)
      const blob = 'y'.repeat(size)
      if (vsn === '2.0.0' && random.next() < 0.5) {
        return { category, data: encodeUserBroadcastPush({ joinRef: anyJoined ? (joined.get(anyJoined) ?? null) : null, ref, topic, event: 'big', payload: { blob } }), ref }
      }
      return { category, data: wire(anyJoined ? joined.get(anyJoined) : null, ref, topic, random.pick(['broadcast', 'presence']), { type: 'broadcast', event: 'big', payload: { blob }, blob }), ref }
    }
    case 'binary-garbage': {
      const variant = random.int(5)
      if (variant === 0) return { category, data: random.bytes(random.int(40)), ref: null }
      if (variant === 1) {
        // A kind 3 header whose lengths point past the end of the frame.
        return { category, data: concatBytes([Uint8Array.of(3, 200, 200, 200, 200, 200, 1), random.bytes(random.int(30))]), ref: null }
      }
      if (variant === 2) {
        // A well-formed kind 3 frame with a payload that is not JSON although it says it is.
        const valid = encodeUserBroadcastPush({ joinRef: anyJoined ? (joined.get(anyJoined) ?? null) : null, ref, topic: anyJoined ?? 'realtime:fuzz-0', event: 'e', payload: {} })
        return { category, data: concatBytes([valid.subarray(0, valid.length - 2), Uint8Array.of(0x7b, 0x7b, 0xff)]), ref: null }
      }
      if (variant === 3) {
        // Kinds the server must not accept from a client.
        return { category, data: concatBytes([Uint8Array.of(random.pick([0, 1, 2, 4, 5, 255])), random.bytes(random.int(60))]), ref: null }
      }
      return { category, data: encodeUserBroadcastPush({ joinRef: 'nope', ref, topic: '💥'.repeat(10), event: '', payload: new Uint8Array(0), metadata: { persist: true, other: 'x'.repeat(100) } }), ref: null }
    }
    case 'vsn1-shapes': {
      // The other serializer's frame shape on this socket.
      const text =
        vsn === '2.0.0'
          ? JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref })
          : JSON.stringify([null, ref, 'phoenix', 'heartbeat', {}])
      return { category, data: text, ref: null }
    }
  }
}

/** Counts what the server logs, and keeps its errors (a crash inside the server shows up here). */
function makeQuietLogger(): RealtimeLogger & { count: number; errors: Array<{ message: string; meta?: Record<string, unknown> }> } {
  const logger = {
    count: 0,
    errors: [] as Array<{ message: string; meta?: Record<string, unknown> }>,
    info: () => {
      logger.count += 1
    },
    warn: () => {
      logger.count += 1
    },
    error: (message: string, meta?: Record<string, unknown>) => {
      logger.count += 1
      logger.errors.push({ message, ...(meta ? { meta } : {}) })
    },
  }
  return logger
}

let server: Server
const logger = makeQuietLogger()
const clients: SupabaseClient[] = []

function makeClient(vsn: ProtocolVsn): SupabaseClient {
  const client = createClient(server.url, server.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as Transport, vsn },
  })
  clients.push(client)
  return client
}

async function subscribe(channel: RealtimeChannel): Promise<string[]> {
  const statuses: string[] = []
  channel.subscribe((status) => {
    statuses.push(status)
  })
  await waitUntil(() => statuses.includes('SUBSCRIBED'), { message: () => `SUBSCRIBED, got ${statuses.join(',')}` })
  return statuses
}

beforeAll(async () => {
  server = await startRealtimeServer({
    port: 0,
    database: false,
    connectErrorBackoffMs: 0,
    channelErrorBackoffMs: 0,
    logger,
    limits: { maxEventsPerSecond: 1_000_000_000, maxJoinsPerSecond: 1_000_000, maxConcurrentUsers: 10_000, maxPayloadSizeKb: 64 },
  })
})

afterAll(async () => {
  await Promise.all(
    clients.splice(0).map(async (client) => {
      await client.removeAllChannels()
      await client.realtime.disconnect()
    }),
  )
  await server.stop()
})

describe('bad input', () => {
  it(`survives ${FRAME_COUNT} malformed frames from one socket while two clients chat (seed ${SEED})`, { timeout: 240_000 }, async () => {
    const random = createRandom(SEED)

    // Two supabase-js clients (one per protocol version) chat with acks and numbered messages.
    const alice = makeClient('2.0.0').channel(CHAT_TOPIC, { config: { broadcast: { ack: true } } })
    const bob = makeClient('1.0.0').channel(CHAT_TOPIC, { config: { broadcast: { ack: true } } })
    const gotByAlice: number[] = []
    const gotByBob: number[] = []
    alice.on('broadcast', { event: 'chat' }, ({ payload }) => {
      const p = payload as { from: string; n: number }
      if (p.from === 'bob') gotByAlice.push(p.n)
    })
    bob.on('broadcast', { event: 'chat' }, ({ payload }) => {
      const p = payload as { from: string; n: number }
      if (p.from === 'alice') gotByBob.push(p.n)
    })
    // A third client only listens, to every event, and must survive whatever reaches it.
    const carol = makeClient('2.0.0').channel(CHAT_TOPIC)
    const gotByCarol: Array<{ from: string; n: number }> = []
    let strayEvents = 0
    carol.on('broadcast', { event: '*' }, ({ event, payload }) => {
      if (event === 'chat') gotByCarol.push(payload as { from: string; n: number })
      else strayEvents += 1
    })
    carol.on('broadcast', { event: 'chat' }, () => undefined)
    const aliceStatuses = await subscribe(alice)
    const bobStatuses = await subscribe(bob)
    const carolStatuses = await subscribe(carol)

    let fuzzing = true
    const acks: string[] = []
    const sentBy = { alice: 0, bob: 0 }
    const chat = async (channel: RealtimeChannel, from: 'alice' | 'bob'): Promise<void> => {
      while (fuzzing || sentBy[from] < 200) {
        const n = sentBy[from]
        sentBy[from] += 1
        acks.push(await channel.send({ type: 'broadcast', event: 'chat', payload: { from, n, text: `message ${n} from ${from}` } }))
      }
    }
    const chatting = Promise.all([chat(alice, 'alice'), chat(bob, 'bob')])

    // The bad socket.
    const tallies = new Map<Category, Tally>(CATEGORIES.map((c) => [c, { sent: 0, okReplies: 0, errorReplies: 0, requiredReplyMissing: 0 }]))
    const closes: Array<{ code: number; reason: string }> = []
    let connections = 0
    let systemMessages = 0
    let phxCloses = 0
    let vsn: ProtocolVsn = '2.0.0'
    let bad: RawSocket | null = null
    const joined = new Map<string, string>()
    let pending: Frame[] = []

    const connect = async (): Promise<RawSocket> => {
      // Alternate serializers, so both decoders get their share of garbage.
      vsn = connections % 2 === 0 ? '2.0.0' : '1.0.0'
      joined.clear()
      connections += 1
      return RawSocket.connect(server.url, { vsn, apikey: server.anonKey })
    }

    /** Match replies to the frames of the last batch and learn which topics got joined. */
    const account = (socket: RawSocket, batch: Frame[], from: number): void => {
      const replies = new Map<string, PhoenixMessage>()
      for (const message of socket.messages(from)) {
        if (message.event === 'phx_reply' && message.ref !== null) replies.set(message.ref, message)
        if (message.event === 'system') systemMessages += 1
        if (message.event === 'phx_close') {
          phxCloses += 1
          joined.delete(message.topic)
        }
      }
      for (const frame of batch) {
        const tally = tallies.get(frame.category)
        if (!tally) continue
        const reply = frame.ref === null ? undefined : replies.get(frame.ref)
        if (reply) {
          const { status } = replyOf(reply)
          if (status === 'ok') tally.okReplies += 1
          else tally.errorReplies += 1
          if (status === 'ok' && frame.category === 'valid-join') joined.set(reply.topic, frame.ref ?? '')
          if (frame.expect) expect(replyOf(reply).response).toEqual({ reason: frame.expect.reason })
        } else if (frame.expect && socket.isOpen) {
          tally.requiredReplyMissing += 1
        }
      }
    }

    let sent = 0
    let batches = 0
    let voluntaryReconnects = 0
    while (sent < FRAME_COUNT) {
      batches += 1
      if (bad?.isOpen && batches % ROTATE_EVERY_BATCHES === 0) {
        await bad.close()
        voluntaryReconnects += 1
      } else if (bad?.closed) {
        closes.push(bad.closed)
      }
      if (!bad || !bad.isOpen) bad = await connect()
      const socket = bad
      const from = socket.frames.length
      pending = []
      for (let i = 0; i < BATCH && sent < FRAME_COUNT && socket.isOpen; i++) {
        const frame = makeFrame(random, sent, vsn, joined)
        if (typeof frame.data === 'string') socket.sendText(frame.data)
        else socket.sendBinary(frame.data)
        sent += 1
        const tally = tallies.get(frame.category)
        if (tally) tally.sent += 1
        pending.push(frame)
      }
      // Sync: a heartbeat reply means the server has processed everything before it.
      if (socket.isOpen) await socket.heartbeat(30_000).catch(() => undefined)
      account(socket, pending, from)
    }
    if (bad?.closed) closes.push(bad.closed)
    const stillOpen = bad?.isOpen ?? false
    await bad?.close()

    const chatDuringFuzz = { ...sentBy }
    fuzzing = false
    await chatting

    // The chat lost nothing: every numbered message arrived exactly once, in order.
    await waitUntil(() => gotByBob.length >= sentBy.alice && gotByAlice.length >= sentBy.bob, {
      timeoutMs: 30_000,
      message: () => `chat delivery: bob ${gotByBob.length}/${sentBy.alice}, alice ${gotByAlice.length}/${sentBy.bob}`,
    })
    expect(acks.every((a) => a === 'ok')).toBe(true)
    expect(gotByBob).toEqual(Array.from({ length: sentBy.alice }, (_, n) => n))
    expect(gotByAlice).toEqual(Array.from({ length: sentBy.bob }, (_, n) => n))
    expect(aliceStatuses).toEqual(['SUBSCRIBED'])
    expect(bobStatuses).toEqual(['SUBSCRIBED'])
    await waitUntil(() => gotByCarol.length >= sentBy.alice + sentBy.bob, { timeoutMs: 30_000, message: 'carol got the whole chat' })
    expect(gotByCarol.filter((m) => m.from === 'alice').map((m) => m.n)).toEqual(gotByBob)
    expect(gotByCarol.filter((m) => m.from === 'bob').map((m) => m.n)).toEqual(gotByAlice)
    expect(carolStatuses).toEqual(['SUBSCRIBED'])
    expect(carol.state).toBe('joined')

    // The server is still up: a fresh client subscribes and receives.
    const fresh = makeClient('2.0.0').channel(CHAT_TOPIC)
    const freshGot: number[] = []
    fresh.on('broadcast', { event: 'chat' }, ({ payload }) => {
      freshGot.push((payload as { n: number }).n)
    })
    await subscribe(fresh)
    await expect(alice.send({ type: 'broadcast', event: 'chat', payload: { from: 'alice', n: -1 } })).resolves.toBe('ok')
    await waitUntil(() => freshGot.includes(-1))

    // Nothing the bad sockets tracked outlives them: every fuzzed topic shows an empty presence.
    const inspector = await RawSocket.connect(server.url, { vsn: '2.0.0', apikey: server.anonKey })
    const leftovers: Record<string, unknown> = {}
    for (const topic of [...Array.from({ length: 40 }, (_, i) => `realtime:fuzz-${i}`), `realtime:${CHAT_TOPIC}`]) {
      const from = inspector.frames.length
      await inspector.joinOk(topic, { config: { presence: { enabled: true, key: 'inspector' } } })
      const state = await inspector.waitForMessage((m) => m.event === 'presence_state' && m.topic === topic, { from })
      if (Object.keys(state.payload as object).length > 0) leftovers[topic] = state.payload
    }
    await inspector.close()
    expect(leftovers).toEqual({})

    // What happened to the bad socket.
    const rows = [...tallies.entries()].map(([category, t]) => ({ category, ...t, noReply: t.sent - t.okReplies - t.errorReplies }))
    const totals = rows.reduce((acc, r) => ({ sent: acc.sent + r.sent, ok: acc.ok + r.okReplies, error: acc.error + r.errorReplies }), { sent: 0, ok: 0, error: 0 })
    console.info(`bad input, seed ${SEED}`)
    console.table(rows)
    console.info(
      JSON.stringify({
        connections,
        voluntaryReconnects,
        serverCloses: closes.length,
        closeCodes: [...new Set(closes.map((c) => c.code))],
        systemMessages,
        phxCloses,
        serverLogLines: logger.count,
        serverErrors: logger.errors.length,
        chat: { alice: sentBy.alice, bob: sentBy.bob, duringFuzz: chatDuringFuzz },
        strayEventsSurvivedByCarol: strayEvents,
        badSocketOpenAtEnd: stillOpen,
      }),
    )

    expect(totals.sent).toBe(FRAME_COUNT)
    expect(totals.error).toBeGreaterThan(0)
    expect(totals.error + closes.length).toBeGreaterThan(FRAME_COUNT / 20)
    // Every frame the reference requires an answer for got it, unless its socket was closed.
    for (const row of rows) expect(row.requiredReplyMissing, row.category).toBe(0)
    expect(tallies.get('unjoined-topic')?.errorReplies).toBeGreaterThan(0)
    // Frames over the payload limit never come back as ok.
    expect(tallies.get('oversized')?.okReplies).toBe(0)
    // Garbage did reach the chat topic, and the clients there survived it.
    expect(strayEvents).toBeGreaterThan(0)
    // The server reported the input it ignored, and none of it made the server throw.
    expect(logger.count).toBeGreaterThan(0)
    expect(logger.errors).toEqual([])
    // The chat really ran while the socket was misbehaving.
    expect(chatDuringFuzz.alice).toBeGreaterThan(20)
    expect(chatDuringFuzz.bob).toBeGreaterThan(20)
    expect(sentBy.alice).toBeGreaterThanOrEqual(200)
    expect(sentBy.bob).toBeGreaterThanOrEqual(200)
  })
})
