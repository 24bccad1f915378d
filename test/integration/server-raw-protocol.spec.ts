/**
 * Raw-protocol tests of the local Realtime server: raw `ws` frames, byte for byte where the
 * protocol notes (`docs/realtime-protocol.md`) give captured frames.
 *
 * Frame-shape coverage (docs/realtime-protocol.md section → test). Files: RP = this file,
 * CF = server-conformance.spec.ts, BI = server-bad-input.spec.ts, PC = server-phoenix-client.spec.ts.
 *
 * | frame shape (§ of the notes)                                                     | test |
 * |----------------------------------------------------------------------------------|------|
 * | heartbeat vsn 2 `[null,ref,"phoenix","heartbeat",{}]` → `phx_reply ok {}` (1.5)    | RP heartbeat › answers a vsn 2 heartbeat |
 * | heartbeat vsn 1 object → object reply echoing ref (1.5)                           | RP heartbeat › answers a vsn 1 heartbeat |
 * | idle socket closed after the idle timeout; heartbeats keep it open (1.5)          | CF heartbeats keep an idle channel joined |
 * | upgrade refused: HTTP 401 `{"error":…}` (1.2)                                     | CF connect auth; RP connection |
 * | `x-api-key` header wins over `apikey` (1.1); `/socket/websocket` path (1.1)       | RP connection |
 * | no `vsn` → 1.0.0 (1.1)                                                            | RP connection › defaults to vsn 1.0.0 |
 * | `phx_join` vsn 2 / vsn 1 → `phx_reply ok {postgres_changes:[]}`, refs echoed (2.2, 2.4) | RP join |
 * | join error `{"status":"error","response":{"reason":"<Code>: <msg>"}}` (2.4, 7.3)  | RP join errors; CF channel auth |
 * | `realtime:` alone → `TopicNameRequired: You must provide a topic name` (2.1)     | RP join errors |
 * | topic not `realtime:*` / unjoined topic → `unmatched topic` (2.1, 7.5)            | RP join errors |
 * | private join / postgres_changes bindings without database → `UnableToConnectToProject: …` (2.3) | RP join errors |
 * | `ChannelRateLimitReached: Too many channels` (7.3)                                | RP limits |
 * | `ClientJoinRateLimitReached: Too many joins per second` + disconnect (7.3)        | RP limits |
 * | `ConnectionRateLimitReached: Too many connected users`; upgrade 429 `{"error":"Too many connected users"}` (1.2, 7.3) | RP limits |
 * | `PrivateOnly: This project only allows private channels` (7.3)                   | RP limits |
 * | join errors / refused upgrades delayed by the configured backoffs (1.2, 2.3)      | RP limits |
 * | rejoin on a joined topic replaces it: old `phx_close`, pushes carry the new join_ref, fan-out null (1.4) | RP join_ref |
 * | stale `phx_leave` (old join_ref) ignored without reply; leave of an unjoined topic → `ok {}` (Phoenix socket) | RP stale join_ref |
 * | `phx_leave` → `phx_reply ok {}` then `[jr,jr,topic,"phx_close",{}]` (2.6)          | RP leave |
 * | `phx_error` (channel crash) (2.6)                                                 | test/unit/server-database-hooks.spec.ts "answers a crash … with phx_error" (a database layer that throws); no client input causes one: BI fails if any frame makes the server log an internal error |
 * | kind 3 push (JSON payload) → kind 4 to vsn 2 (captured hex), JSON text to vsn 1 (1.3, 3.3) | RP broadcast |
 * | kind 3 push (binary payload) → kind 4 encoding 0 (1.3)                            | RP broadcast |
 * | byte-length prefixes with multi-byte topic/event; topic > 255 bytes falls back to JSON text (1.3) | RP broadcast |
 * | fan-out exactly once, per-sender order, 8 mixed-vsn clients (3.3)                 | CF many clients |
 * | kind 3 with ack → `phx_reply ok {}` echoing ref/join_ref (3.2)                    | RP broadcast |
 * | JSON text broadcast (vsn 2 array / vsn 1 object) → `[null,null,topic,"broadcast",{type,event,payload}]` (3.1, 3.3) | RP broadcast |
 * | broadcasts that would crash supabase-js receivers (non-JSON kind 3 payload, non-string event, top-level `ids`) refused, ack gets `error` | RP a broken sender cannot break other clients |
 * | payload too large with ack → `{"status":"error","response":{"error":"payload_size_exceeded"}}`; without ack dropped (3.2) | RP limits |
 * | REST batch `POST /api/broadcast` → 202, JSON text fan-out, `meta.id` (3.4)        | RP REST; CF REST |
 * | REST single endpoint JSON / octet-stream → 202, kind 4 (3.4)                      | RP REST; CF mixed protocol versions |
 * | REST single endpoint, other content type → 415 (3.4)                              | RP REST |
 * | REST auth: Bearer before apikey, 401 `{"message":"Unauthorized"}`; private REST message never reaches public subscribers, single private → 403 (3.4) | RP REST |
 * | `Too many messages per second` system + `phx_close`, REST 429, recovery after the window (3.5) | RP limits; CF rate limits seen from supabase-js |
 * | stop() closes sockets; clients rejoin a server restarted on the same port (1.6, 1.8) | CF server restart |
 * | an independent client (upstream phoenix.js): join, ack, fan-out, Presence, join error | PC |
 * | presence track → `ok {}`, `presence_diff` `[null,null,…]` with `phx_ref` (4.1, 4.2) | RP presence; CF presence |
 * | `presence_state` after join, carrying the join_ref (4.2)                          | RP presence |
 * | presence update: leaves old meta, joins new meta with `phx_ref_prev` (4.2)        | RP presence; CF presence |
 * | untrack → leave diff (4.1)                                                         | RP presence; CF presence |
 * | track payload not a map → `{"reason":"Presence track payload must be a map"}` (4.2) | RP presence |
 * | unknown presence event → `error {}` (4.2)                                         | RP presence |
 * | 6th presence call → system `Client presence rate limit exceeded` + `phx_close` (4.4) | RP presence |
 * | presence meta over the payload limit → system `Track message size exceeded` + `phx_close` (4.4) | RP limits |
 * | shared presence key: one meta per connection, a leave removes only its meta (4.2) | CF presence |
 * | presence_state after a reconnect carries the new join_ref (client resyncs) (1.4, 4.3) | CF presence across reconnects |
 * | socket killed without leave → others get a leave diff (4.2)                       | CF presence |
 * | `access_token` valid → no reply, channel lives (2.7)                              | RP auth |
 * | `access_token` invalid / forged → system error then `phx_close` (2.7, 7.4)        | RP auth |
 * | `access_token` starting with `sb_` → ignored (2.7)                                 | RP auth |
 * | token expiry → system `Token has expired <n> seconds ago` then `phx_close` (6.4)  | RP auth |
 * | supabase-js: expiry → `system` + CLOSED; refreshed token via heartbeat keeps the channel (2.7, 6.4) | CF token lifetime |
 * | join with expired / forged / malformed / role-less token (7.3)                    | CF channel auth; RP auth |
 * | malformed text frames on vsn 2 ignored, socket stays open (1.3)                   | RP malformed; BI |
 * | random garbage, wrong arity, wrong types, unknown events, oversized frames        | BI |
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startRealtimeServer } from '../../server/index'
import type { RealtimeLogger } from '../../server/logger'
import { signJwt } from '../../server/jwt'
import { createTestClient } from '../helpers/server-fixture'
import {
  decodeUserBroadcast,
  encodeUserBroadcastPush,
  fromHex,
  RawSocket,
  replyOf,
  sleep,
  systemOf,
  toHex,
  waitUntil,
  type PhoenixMessage,
  type ProtocolVsn,
  type RefusedUpgrade,
} from '../helpers/raw-socket'

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
type ServerOptions = NonNullable<Parameters<typeof startRealtimeServer>[0]>

const CAPTURED_KIND3_JSON = '0301010e06000136377265616c74696d653a726f6f6d31637572736f727b2278223a312c2279223a327d'
const CAPTURED_KIND3_BINARY = '0301010e03000036387265616c74696d653a726f6f6d3162696e010203'
const CAPTURED_KIND3_PERSIST =
  '0301011202100136377265616c74696d653a707269763a726f6f6d65317b2270657273697374223a747275657d7b2261223a317d'
const CAPTURED_KIND4 = '040e0600017265616c74696d653a726f6f6d31637572736f727b2278223a31307d'

const servers: Server[] = []
const sockets: RawSocket[] = []
let server: Server
let topicCounter = 0

function uniqueName(prefix: string): string {
  topicCounter += 1
  return `${prefix}-${topicCounter}`
}

async function startServer(options: ServerOptions = {}): Promise<Server> {
  const started = await startRealtimeServer({ port: 0, database: false, logger, connectErrorBackoffMs: 0, channelErrorBackoffMs: 0, ...options })
  servers.push(started)
  return started
}

async function open(vsn: ProtocolVsn = '2.0.0', target: Server = server): Promise<RawSocket> {
  const socket = await RawSocket.connect(target.url, { vsn, apikey: target.anonKey })
  sockets.push(socket)
  return socket
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** Parse a text frame's raw JSON (to compare whole frames, including null refs). */
function rawJson(socket: RawSocket, message: PhoenixMessage): unknown {
  const frame = socket.frames.find((f) => f.message === message)
  if (!frame || typeof frame.raw !== 'string') throw new Error('message did not come from a text frame')
  return JSON.parse(frame.raw)
}

/** Frames received on `topic` since `from`, excluding heartbeat traffic. */
function topicMessages(socket: RawSocket, topic: string, from = 0): PhoenixMessage[] {
  return socket.messages(from).filter((m) => m.topic === topic)
}

/** A heartbeat round trip: everything the server sent before its reply has arrived. */
async function flush(socket: RawSocket): Promise<void> {
  await socket.heartbeat()
}

beforeAll(async () => {
  server = await startServer()
})

afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()))
  expect(serverErrors.splice(0)).toEqual([])
})

afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()))
})

describe('binary frame helpers match the captured frames', () => {
  it('encodes kind 3 with a JSON payload byte for byte', () => {
    const bytes = encodeUserBroadcastPush({ joinRef: '6', ref: '7', topic: 'realtime:room1', event: 'cursor', payload: { x: 1, y: 2 } })
    expect(toHex(bytes)).toBe(CAPTURED_KIND3_JSON)
  })

  it('encodes kind 3 with a binary payload and with persist metadata byte for byte', () => {
    const binary = encodeUserBroadcastPush({ joinRef: '6', ref: '8', topic: 'realtime:room1', event: 'bin', payload: new Uint8Array([1, 2, 3]) })
    expect(toHex(binary)).toBe(CAPTURED_KIND3_BINARY)
    const persist = encodeUserBroadcastPush({
      joinRef: '6',
      ref: '7',
      topic: 'realtime:priv:room',
      event: 'e1',
      payload: { a: 1 },
      metadata: { persist: true },
    })
    expect(toHex(persist)).toBe(CAPTURED_KIND3_PERSIST)
  })

  it('decodes the captured kind 4 frame', () => {
    expect(decodeUserBroadcast(fromHex(CAPTURED_KIND4))).toEqual({
      topic: 'realtime:room1',
      event: 'cursor',
      metadata: null,
      encoding: 1,
      payload: { x: 10 },
    })
  })
})

describe('connection', () => {
  it('defaults to vsn 1.0.0 when the vsn parameter is missing', async () => {
    const socket = await RawSocket.connect(server.url, { vsn: '1.0.0', apikey: server.anonKey, omitVsn: true })
    sockets.push(socket)
    socket.sendText(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1' }))
    await socket.waitForMessage((m) => m.event === 'phx_reply' && m.ref === '1')
    expect(JSON.parse(String(socket.frames[0]?.raw))).toMatchObject({ topic: 'phoenix', event: 'phx_reply', ref: '1' })
  })

  it('serves the socket at /socket/websocket as well', async () => {
    const socket = await RawSocket.connect(server.url, { vsn: '2.0.0', apikey: server.anonKey, path: '/socket/websocket' })
    sockets.push(socket)
    expect(replyOf(await socket.heartbeat()).status).toBe('ok')
  })

  it('prefers the x-api-key header over the apikey parameter', async () => {
    const withGoodHeader = await RawSocket.tryConnect(server.url, { apikey: 'not-a-jwt', headers: { 'x-api-key': server.anonKey } })
    expect(withGoodHeader).toBeInstanceOf(RawSocket)
    if (withGoodHeader instanceof RawSocket) sockets.push(withGoodHeader)

    const withBadHeader = await RawSocket.tryConnect(server.url, { apikey: server.anonKey, headers: { 'x-api-key': 'not-a-jwt' } })
    expect(withBadHeader).not.toBeInstanceOf(RawSocket)
    expect((withBadHeader as RefusedUpgrade).status).toBe(401)
    expect(JSON.parse((withBadHeader as RefusedUpgrade).body)).toEqual({ error: 'The token provided is not a valid JWT' })
  })

  it('accepts opaque sb_publishable_ keys', async () => {
    const socket = await RawSocket.tryConnect(server.url, { apikey: 'sb_publishable_local-dev-key' })
    expect(socket).toBeInstanceOf(RawSocket)
    if (socket instanceof RawSocket) {
      sockets.push(socket)
      await socket.joinOk('realtime:opaque')
    }
  })
})

describe('heartbeat', () => {
  it('answers a vsn 2 heartbeat with the captured reply', async () => {
    const socket = await open('2.0.0')
    socket.sendText('[null,"12","phoenix","heartbeat",{}]')
    const reply = await socket.waitForMessage((m) => m.ref === '12')
    expect(rawJson(socket, reply)).toEqual([null, '12', 'phoenix', 'phx_reply', { status: 'ok', response: {} }])
  })

  it('answers a vsn 1 heartbeat with the captured reply', async () => {
    const socket = await open('1.0.0')
    socket.sendText('{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"12"}')
    const reply = await socket.waitForMessage((m) => m.ref === '12')
    const object = rawJson(socket, reply) as Record<string, unknown>
    expect(object).toMatchObject({ topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} }, ref: '12' })
    expect(object.join_ref ?? null).toBeNull()
  })
})

describe('join', () => {
  it('replies ok on vsn 2, echoing join_ref and ref, with an empty postgres_changes list', async () => {
    const socket = await open('2.0.0')
    socket.sendText(
      '["6","6","realtime:room","phx_join",{"config":{"broadcast":{"ack":false,"self":false},"presence":{"key":"","enabled":false},"postgres_changes":[],"private":false}}]',
    )
    const reply = await socket.waitForMessage((m) => m.event === 'phx_reply' && m.ref === '6')
    expect(rawJson(socket, reply)).toEqual(['6', '6', 'realtime:room', 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }])
  })

  it('replies ok on vsn 1, echoing join_ref and ref', async () => {
    const socket = await open('1.0.0')
    socket.sendText(
      '{"topic":"realtime:room1","event":"phx_join","payload":{"config":{"broadcast":{"self":true,"ack":true},"presence":{"key":"user-1","enabled":false},"postgres_changes":[],"private":false}},"ref":"6","join_ref":"6"}',
    )
    const reply = await socket.waitForMessage((m) => m.event === 'phx_reply' && m.ref === '6')
    expect(rawJson(socket, reply)).toEqual({
      topic: 'realtime:room1',
      event: 'phx_reply',
      payload: { status: 'ok', response: { postgres_changes: [] } },
      ref: '6',
      join_ref: '6',
    })
  })

  it('accepts a join without config and flexible string booleans', async () => {
    const socket = await open('2.0.0')
    const bare = await socket.join('realtime:bare', {})
    expect(replyOf(bare.reply).status).toBe('ok')
    const flexible = await socket.join('realtime:flexible', { config: { broadcast: { self: 'TRUE', ack: 'false' } } })
    expect(replyOf(flexible.reply).status).toBe('ok')
  })
})

describe('join errors', () => {
  it('replies TopicNameRequired to a join of `realtime:` alone', async () => {
    const socket = await open()
    const { joinRef, reply } = await socket.join('realtime:')
    expect(rawJson(socket, reply)).toEqual([
      joinRef,
      joinRef,
      'realtime:',
      'phx_reply',
      { status: 'error', response: { reason: 'TopicNameRequired: You must provide a topic name' } },
    ])
  })

  it('replies `unmatched topic` to a join of a topic outside realtime:', async () => {
    const socket = await open()
    const { reply } = await socket.join('room1')
    expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'unmatched topic' } })
  })

  it('replies `unmatched topic` to a message on an unjoined topic, and keeps the socket open', async () => {
    const socket = await open()
    const reply = await socket.request('realtime:never-joined', 'presence', { type: 'presence', event: 'track', payload: {} }, '99')
    expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'unmatched topic' } })
    expect(replyOf(await socket.heartbeat()).status).toBe('ok')
  })

  it('refuses a private join when no database is configured', async () => {
    const socket = await open()
    const { reply } = await socket.join('realtime:private-room', { config: { private: true } })
    expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'UnableToConnectToProject: Realtime was unable to connect to the project database' } })
  })

  it('refuses postgres_changes bindings when no database is configured', async () => {
    const socket = await open()
    const { reply } = await socket.join('realtime:pg-room', { config: { postgres_changes: [{ event: '*', schema: 'public', table: 'todos' }] } })
    expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'UnableToConnectToProject: Realtime was unable to connect to the project database' } })
    // An empty binding list needs no database.
    const plain = await socket.join('realtime:pg-room-2', { config: { postgres_changes: [] } })
    expect(replyOf(plain.reply)).toEqual({ status: 'ok', response: { postgres_changes: [] } })
  })

  it('replies with the JWT reasons to joins carrying a bad access_token', async () => {
    const socket = await open()
    const expired = await socket.join('realtime:jwt-1', { config: {}, access_token: signJwt({ role: 'anon', exp: nowSeconds() - 30 }, server.jwtSecret) })
    expect((replyOf(expired.reply).response as { reason: string }).reason).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/)
    const forged = await socket.join('realtime:jwt-2', { config: {}, access_token: signJwt({ role: 'anon', exp: nowSeconds() + 60 }, 'x'.repeat(40)) })
    expect(replyOf(forged.reply).response).toEqual({ reason: 'JwtSignatureError: Failed to validate JWT signature' })
    const malformed = await socket.join('realtime:jwt-3', { config: {}, access_token: 'abc.def' })
    expect(replyOf(malformed.reply).response).toEqual({ reason: 'MalformedJWT: The token provided is not a valid JWT' })
    const noExp = await socket.join('realtime:jwt-4', { config: {}, access_token: signJwt({ role: 'anon' }, server.jwtSecret) })
    expect(replyOf(noExp.reply).response).toEqual({ reason: 'InvalidJWTToken: Fields `role` and `exp` are required in JWT' })
    // An opaque key as access_token falls back to the connect-time key.
    const opaque = await socket.join('realtime:jwt-5', { config: {}, access_token: 'sb_publishable_whatever' })
    expect(replyOf(opaque.reply).status).toBe('ok')
    // The socket survives all of it.
    expect(replyOf(await socket.heartbeat()).status).toBe('ok')
  })
})

describe('leave', () => {
  it.each(['1.0.0', '2.0.0'] as const)('replies ok then sends phx_close with the join_ref (vsn %s)', async (vsn) => {
    const socket = await open(vsn)
    const topic = `realtime:${uniqueName('leave')}`
    const joinRef = await socket.joinOk(topic)
    const from = socket.frames.length
    const ref = socket.push(topic, 'phx_leave', {}, joinRef)
    const close = await socket.waitForMessage((m) => m.event === 'phx_close' && m.topic === topic, { from })
    const [reply, closeMessage] = topicMessages(socket, topic, from)
    expect(reply).toEqual({ joinRef, ref, topic, event: 'phx_reply', payload: { status: 'ok', response: {} } })
    expect(closeMessage).toBe(close)
    expect(close).toEqual({ joinRef, ref: joinRef, topic, event: 'phx_close', payload: {} })

    const after = await socket.request(topic, 'presence', { type: 'presence', event: 'track', payload: {} }, joinRef)
    expect(replyOf(after).response).toEqual({ reason: 'unmatched topic' })
  })
})

describe('join_ref', () => {
  it('replaces the channel on a rejoin: old phx_close, new pushes carry the new join_ref, fan-out carries null', async () => {
    const socket = await open('2.0.0')
    const topic = `realtime:${uniqueName('rejoin')}`
    const config = { config: { presence: { enabled: true, key: 'me' } } }
    const first = await socket.joinOk(topic, config)
    await socket.waitForMessage((m) => m.event === 'presence_state' && m.joinRef === first)

    const from = socket.frames.length
    const { joinRef: second, reply } = await socket.join(topic, config)
    expect(second).not.toBe(first)
    expect(replyOf(reply).status).toBe('ok')
    const state = await socket.waitForMessage((m) => m.event === 'presence_state' && m.topic === topic, { from })
    expect(state.joinRef).toBe(second)
    await flush(socket)
    const closes = topicMessages(socket, topic, from).filter((m) => m.event === 'phx_close')
    expect(closes).toEqual([{ joinRef: first, ref: first, topic, event: 'phx_close', payload: {} }])

    // A push with the current join_ref is answered with that join_ref.
    const track = await socket.request(topic, 'presence', { type: 'presence', event: 'track', payload: { v: 1 } }, second)
    expect(track.joinRef).toBe(second)
    expect(replyOf(track).status).toBe('ok')
    const diff = await socket.waitForMessage((m) => m.event === 'presence_diff' && m.topic === topic, { from })
    expect(diff.joinRef).toBeNull()
    expect(diff.ref).toBeNull()

    // Fan-out reaches the replaced channel exactly once, with null refs.
    const other = await open('2.0.0')
    const otherRef = await other.joinOk(topic)
    const before = socket.frames.length
    other.send({ joinRef: otherRef, ref: other.makeRef(), topic, event: 'broadcast', payload: { type: 'broadcast', event: 'hi', payload: { n: 1 } } })
    await socket.waitForMessage((m) => m.event === 'broadcast', { from: before })
    await sleep(100)
    await flush(socket)
    const broadcasts = topicMessages(socket, topic, before).filter((m) => m.event === 'broadcast')
    expect(broadcasts).toEqual([{ joinRef: null, ref: null, topic, event: 'broadcast', payload: { type: 'broadcast', event: 'hi', payload: { n: 1 } } }])
  })
})

describe('stale join_ref', () => {
  it('ignores a phx_leave carrying the join_ref of a replaced channel (the client raced a close)', async () => {
    const socket = await open('2.0.0')
    const topic = `realtime:${uniqueName('stale-leave')}`
    const first = await socket.joinOk(topic)
    const second = await socket.joinOk(topic)
    const from = socket.frames.length
    socket.push(topic, 'phx_leave', {}, first)
    await flush(socket)
    expect(topicMessages(socket, topic, from)).toEqual([])

    // The current channel is still joined and receiving.
    const other = await open('2.0.0')
    const otherRef = await other.joinOk(topic, { config: { broadcast: { ack: true } } })
    await other.request(topic, 'broadcast', { type: 'broadcast', event: 'still', payload: {} }, otherRef)
    const got = await socket.waitForMessage((m) => m.event === 'broadcast' && m.topic === topic, { from })
    expect(got.joinRef).toBeNull()
    // A leave with the current join_ref still works.
    socket.push(topic, 'phx_leave', {}, second)
    const close = await socket.waitForMessage((m) => m.event === 'phx_close' && m.topic === topic, { from })
    expect(close.joinRef).toBe(second)
  })

  it('replies ok to a phx_leave on a topic that is not joined', async () => {
    const socket = await open('2.0.0')
    const reply = await socket.request('realtime:never-joined-leave', 'phx_leave', {}, '77')
    expect(rawJson(socket, reply)).toEqual(['77', reply.ref, 'realtime:never-joined-leave', 'phx_reply', { status: 'ok', response: {} }])
  })
})

describe('broadcast', () => {
  it('fans a kind 3 push out as the captured kind 4 frame to vsn 2 and as JSON text to vsn 1', async () => {
    const sender = await open('2.0.0')
    const v2 = await open('2.0.0')
    const v1 = await open('1.0.0')
    const topic = 'realtime:room1'
    const senderRef = await sender.joinOk(topic)
    await v2.joinOk(topic)
    await v1.joinOk(topic)
    const from2 = v2.frames.length
    const from1 = v1.frames.length

    sender.broadcastBinary({ joinRef: senderRef, ref: sender.makeRef(), topic, event: 'cursor', payload: { x: 10 } })

    const binary = await v2.waitForFrame((f) => f.binary, { from: from2 })
    expect(toHex(binary.raw as Uint8Array)).toBe(CAPTURED_KIND4)
    const text = await v1.waitForMessage((m) => m.event === 'broadcast', { from: from1 })
    expect(rawJson(v1, text)).toMatchObject({ topic, event: 'broadcast', payload: { type: 'broadcast', event: 'cursor', payload: { x: 10 } }, ref: null })
    expect((rawJson(v1, text) as Record<string, unknown>).join_ref ?? null).toBeNull()
    // Without `self`, the sender gets nothing back.
    await flush(sender)
    expect(topicMessages(sender, topic).filter((m) => m.event === 'broadcast')).toEqual([])
  })

  it('fans a binary kind 3 payload out as kind 4 with payload encoding 0', async () => {
    const sender = await open('2.0.0')
    const receiver = await open('2.0.0')
    const topic = `realtime:${uniqueName('bin')}`
    const senderRef = await sender.joinOk(topic)
    await receiver.joinOk(topic)
    const from = receiver.frames.length
    sender.broadcastBinary({ joinRef: senderRef, ref: sender.makeRef(), topic, event: 'bin', payload: new Uint8Array([0, 1, 2, 254, 255]) })
    const frame = await receiver.waitForFrame((f) => f.binary, { from })
    expect(frame.userBroadcast).toEqual({ topic, event: 'bin', metadata: null, encoding: 0, payload: new Uint8Array([0, 1, 2, 254, 255]) })
  })

  it('acknowledges a kind 3 push with ack, echoing ref and join_ref, and honours self', async () => {
    const sender = await open('2.0.0')
    const topic = `realtime:${uniqueName('ack')}`
    const joinRef = await sender.joinOk(topic, { config: { broadcast: { ack: true, self: true } } })
    const from = sender.frames.length
    const ref = sender.makeRef()
    sender.broadcastBinary({ joinRef, ref, topic, event: 'ping', payload: { n: 1 } })
    const reply = await sender.waitForMessage((m) => m.event === 'phx_reply' && m.ref === ref, { from })
    expect(rawJson(sender, reply)).toEqual([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: {} }])
    const echo = await sender.waitForFrame((f) => f.binary, { from })
    expect(echo.userBroadcast).toEqual({ topic, event: 'ping', metadata: null, encoding: 1, payload: { n: 1 } })
  })

  it('sends no reply to a broadcast without ack', async () => {
    const sender = await open('2.0.0')
    const topic = `realtime:${uniqueName('noack')}`
    const joinRef = await sender.joinOk(topic)
    const from = sender.frames.length
    sender.broadcastBinary({ joinRef, ref: sender.makeRef(), topic, event: 'ping', payload: {} })
    sender.push(topic, 'broadcast', { type: 'broadcast', event: 'ping', payload: {} }, joinRef)
    await flush(sender)
    expect(topicMessages(sender, topic, from)).toEqual([])
  })

  it.each(['1.0.0', '2.0.0'] as const)('fans a JSON text broadcast from a vsn %s sender out as JSON text', async (senderVsn) => {
    const sender = await open(senderVsn)
    const receiver = await open('2.0.0')
    const topic = `realtime:${uniqueName('json')}`
    const joinRef = await sender.joinOk(topic, { config: { broadcast: { ack: true } } })
    await receiver.joinOk(topic)
    const from = receiver.frames.length
    const reply = await sender.request(topic, 'broadcast', { type: 'broadcast', event: 'cursor', payload: { x: 9 } }, joinRef)
    expect(replyOf(reply)).toEqual({ status: 'ok', response: {} })
    const message = await receiver.waitForMessage((m) => m.event === 'broadcast', { from })
    expect(rawJson(receiver, message)).toEqual([null, null, topic, 'broadcast', { type: 'broadcast', event: 'cursor', payload: { x: 9 } }])
  })

  it('counts binary length prefixes in bytes for multi-byte topics and events', async () => {
    const sender = await open('2.0.0')
    const receiver = await open('2.0.0')
    const topic = 'realtime:café-☕-部屋'
    const joinRef = await sender.joinOk(topic)
    await receiver.joinOk(topic)
    const from = receiver.frames.length
    sender.broadcastBinary({ joinRef, ref: sender.makeRef(), topic, event: 'émoji-🎉', payload: { text: 'naïve ✓' } })
    const frame = await receiver.waitForFrame((f) => f.binary, { from })
    expect(frame.userBroadcast).toEqual({ topic, event: 'émoji-🎉', metadata: null, encoding: 1, payload: { text: 'naïve ✓' } })
  })

  it('falls back to JSON text for vsn 2 receivers when a topic is too long for a binary frame', async () => {
    const receiver = await open('2.0.0')
    const name = `long-${'t'.repeat(300)}`
    const topic = `realtime:${name}`
    await receiver.joinOk(topic)
    const from = receiver.frames.length
    const response = await fetch(`${server.url}/realtime/v1/api/broadcast/${name}/events/cursor`, {
      method: 'POST',
      headers: { apikey: server.anonKey, 'content-type': 'application/json' },
      body: '{"x":1}',
    })
    expect(response.status).toBe(202)
    const message = await receiver.waitForMessage((m) => m.event === 'broadcast', { from })
    expect(rawJson(receiver, message)).toEqual([null, null, topic, 'broadcast', { type: 'broadcast', event: 'cursor', payload: { x: 1 } }])
  })

  it('keeps topics apart', async () => {
    const sender = await open('2.0.0')
    const bystander = await open('2.0.0')
    const a = `realtime:${uniqueName('apart-a')}`
    const b = `realtime:${uniqueName('apart-b')}`
    const joinRef = await sender.joinOk(a, { config: { broadcast: { ack: true } } })
    await bystander.joinOk(b)
    const from = bystander.frames.length
    await sender.request(a, 'broadcast', { type: 'broadcast', event: 'x', payload: {} }, joinRef)
    await flush(bystander)
    expect(bystander.messages(from).filter((m) => m.event === 'broadcast')).toEqual([])
  })
})

describe('a broken sender cannot break other clients', () => {
  it.each(['1.0.0', '2.0.0'] as const)('refuses broadcasts that would crash supabase-js receivers (receiver vsn %s)', async (receiverVsn) => {
    const topic = uniqueName('poison')
    const client = createTestClient(server, { vsn: receiverVsn })
    const markers: unknown[] = []
    const everything: unknown[] = []
    const channel = client
      .channel(topic)
      .on('broadcast', { event: 'marker' }, (m) => markers.push(m.payload))
      .on('broadcast', { event: '*' }, (m) => everything.push(m.event))
    const statuses: string[] = []
    channel.subscribe((status) => statuses.push(status))
    try {
      await waitUntil(() => statuses.includes('SUBSCRIBED'))
      const v2 = await open('2.0.0')
      const v1 = await open('1.0.0')
      const ack = { config: { broadcast: { ack: true } } }
      const ref2 = await v2.joinOk(`realtime:${topic}`, ack)
      const ref1 = await v1.joinOk(`realtime:${topic}`, ack)
      const poison: Array<() => string> = [
        // A kind 3 push whose payload is not JSON although its encoding byte says JSON.
        () => {
          const valid = encodeUserBroadcastPush({ joinRef: ref2, ref: 'p1', topic: `realtime:${topic}`, event: 'e', payload: {} })
          v2.sendBinary(new Uint8Array([...valid.subarray(0, valid.length - 2), 0x7b, 0x7b, 0xff]))
          return 'p1'
        },
        // A user event that is not a string.
        () => v2.push(`realtime:${topic}`, 'broadcast', { type: 'broadcast', event: 42, payload: {} }, ref2),
        () => v2.push(`realtime:${topic}`, 'broadcast', { type: 'broadcast', event: { a: 1 }, payload: {} }, ref2),
        () => v1.push(`realtime:${topic}`, 'broadcast', { type: 'broadcast', event: true, payload: {} }, ref1),
        // An outer payload with `ids`, which the client treats as a postgres_changes frame.
        () => v2.push(`realtime:${topic}`, 'broadcast', { type: 'broadcast', event: 'x', payload: {}, ids: [1] }, ref2),
      ]
      for (const [i, send] of poison.entries()) {
        const socket = i === 3 ? v1 : v2
        const from = socket.frames.length
        const ref = send()
        const reply = await socket.waitForMessage((m) => m.event === 'phx_reply' && m.ref === ref, { from })
        expect(replyOf(reply).status, `poison ${i}`).toBe('error')
        v2.broadcastBinary({ joinRef: ref2, ref: v2.makeRef(), topic: `realtime:${topic}`, event: 'marker', payload: { i } })
        await waitUntil(() => markers.length === i + 1, { message: `marker ${i}` })
      }
      expect(markers).toEqual(poison.map((_, i) => ({ i })))
      expect(everything).toEqual(poison.map(() => 'marker'))
      expect(channel.state).toBe('joined')
      expect(statuses).toEqual(['SUBSCRIBED'])
    } finally {
      await client.removeAllChannels()
    }
  })
})

describe('REST broadcast', () => {
  async function post(path: string, body: BodyInit, headers: Record<string, string>): Promise<Response> {
    return fetch(`${server.url}${path}`, { method: 'POST', headers: { apikey: server.anonKey, ...headers }, body })
  }

  it('accepts a batch with 202 and an empty body, delivering JSON text with meta.id', async () => {
    const receiver = await open('2.0.0')
    const name = uniqueName('batch')
    const topic = `realtime:${name}`
    await receiver.joinOk(topic)
    const from = receiver.frames.length
    const id = '006554ce-d22d-469c-877a-88bef47214a3'
    const response = await post(
      '/realtime/v1/api/broadcast?apikey=ignored&vsn=2.0.0',
      JSON.stringify({ messages: [{ topic: name, event: 'one', payload: { n: 1 }, private: false }, { topic: name, event: 'two', payload: { n: 2 }, id }] }),
      { 'content-type': 'application/json', authorization: `Bearer ${server.anonKey}` },
    )
    expect(response.status).toBe(202)
    expect(await response.text()).toBe('')
    await receiver.waitForMessage((m) => m.event === 'broadcast' && (m.payload as { event: string }).event === 'two', { from })
    const texts = receiver.frames.slice(from).filter((f) => f.message?.event === 'broadcast')
    expect(texts.every((f) => !f.binary)).toBe(true)
    expect(texts.map((f) => JSON.parse(String(f.raw)) as unknown)).toEqual([
      [null, null, topic, 'broadcast', { type: 'broadcast', event: 'one', payload: { n: 1 } }],
      [null, null, topic, 'broadcast', { type: 'broadcast', event: 'two', payload: { n: 2 }, meta: { id } }],
    ])
  })

  it('refuses a batch whose payload is not an object with 422', async () => {
    const response = await post('/realtime/v1/api/broadcast', JSON.stringify({ messages: [{ topic: 'x', event: 'y', payload: 'text' }] }), {
      'content-type': 'application/json',
    })
    expect(response.status).toBe(422)
    expect(await response.json()).toHaveProperty('errors')
  })

  it('accepts the single endpoint with JSON and octet-stream, delivering kind 4 to vsn 2', async () => {
    const receiver = await open('2.0.0')
    const name = uniqueName('single')
    const topic = `realtime:${name}`
    await receiver.joinOk(topic)
    const from = receiver.frames.length
    const json = await post(`/realtime/v1/api/broadcast/${encodeURIComponent(name)}/events/cursor`, '{"x":3}', { 'content-type': 'application/json' })
    expect(json.status).toBe(202)
    const bytes = await post(`/realtime/v1/api/broadcast/${encodeURIComponent(name)}/events/bin`, new Uint8Array([9, 8, 7]), {
      'content-type': 'application/octet-stream',
    })
    expect(bytes.status).toBe(202)
    await waitUntil(() => receiver.frames.slice(from).filter((f) => f.binary).length === 2)
    const frames = receiver.frames.slice(from).filter((f) => f.binary)
    expect(frames.map((f) => f.userBroadcast)).toEqual([
      { topic, event: 'cursor', metadata: null, encoding: 1, payload: { x: 3 } },
      { topic, event: 'bin', metadata: null, encoding: 0, payload: new Uint8Array([9, 8, 7]) },
    ])
  })

  it('checks the Bearer token before the apikey header', async () => {
    const body = JSON.stringify({ messages: [{ topic: 'auth-order', event: 'x', payload: {} }] })
    const badBearer = await post('/realtime/v1/api/broadcast', body, { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' })
    expect(badBearer.status).toBe(401)
    expect(await badBearer.json()).toEqual({ message: 'Unauthorized' })
    const goodBearer = await fetch(`${server.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: 'not-a-jwt', authorization: `Bearer ${server.anonKey}` },
      body,
    })
    expect(goodBearer.status).toBe(202)
  })

  it('keeps private REST messages away from public subscribers of the same name', async () => {
    const receiver = await open('2.0.0')
    const name = uniqueName('private-rest')
    await receiver.joinOk(`realtime:${name}`)
    const from = receiver.frames.length
    const batch = await post('/realtime/v1/api/broadcast', JSON.stringify({ messages: [{ topic: name, event: 'secret', payload: { n: 1 }, private: true }] }), {
      'content-type': 'application/json',
    })
    expect(batch.status).toBe(202)
    const single = await post(`/realtime/v1/api/broadcast/${name}/events/secret?private=true`, '{"n":2}', { 'content-type': 'application/json' })
    expect(single.status).toBe(403)
    expect(await single.json()).toEqual({ message: 'Unauthorized' })
    const visible = await post(`/realtime/v1/api/broadcast/${name}/events/public`, '{"n":3}', { 'content-type': 'application/json' })
    expect(visible.status).toBe(202)
    await receiver.waitForFrame((f) => f.userBroadcast?.event === 'public', { from })
    expect(receiver.messages(from).map((m) => (m.payload as { event: string }).event)).toEqual(['public'])
  })

  it('refuses the single endpoint with another content type with 415', async () => {
    const response = await post('/realtime/v1/api/broadcast/room/events/x', 'hello', { 'content-type': 'text/plain' })
    expect(response.status).toBe(415)
    expect(await response.json()).toEqual({ error: 'Unsupported Media Type. Use application/json or application/octet-stream' })
  })
})

describe('presence', () => {
  interface Meta {
    phx_ref: string
    phx_ref_prev?: string
    [key: string]: unknown
  }
  type Diff = { joins: Record<string, { metas: Meta[] }>; leaves: Record<string, { metas: Meta[] }> }

  it('sends presence_state after the join, diffs to everyone, and phx_ref_prev on update', async () => {
    const tracker = await open('2.0.0')
    const watcher = await open('1.0.0')
    const topic = `realtime:${uniqueName('presence')}`
    const trackerRef = await tracker.joinOk(topic, { config: { presence: { enabled: true, key: 'ada' } } })
    const emptyState = await tracker.waitForMessage((m) => m.event === 'presence_state' && m.topic === topic)
    expect(emptyState).toMatchObject({ joinRef: trackerRef, payload: {} })

    const fromTracker = tracker.frames.length
    const track = await tracker.request(topic, 'presence', { type: 'presence', event: 'track', payload: { online_at: 't0' } }, trackerRef)
    expect(rawJson(tracker, track)).toEqual([trackerRef, track.ref, topic, 'phx_reply', { status: 'ok', response: {} }])
    const ownDiff = await tracker.waitForMessage((m) => m.event === 'presence_diff', { from: fromTracker })
    expect(ownDiff.joinRef).toBeNull()
    const joined = (ownDiff.payload as Diff).joins.ada?.metas[0]
    expect(joined).toEqual({ phx_ref: expect.any(String) as unknown, online_at: 't0' })
    expect((ownDiff.payload as Diff).leaves).toEqual({})

    const watcherRef = await watcher.joinOk(topic, { config: { presence: { enabled: true, key: 'bob' } } })
    const state = await watcher.waitForMessage((m) => m.event === 'presence_state' && m.topic === topic)
    expect(state.joinRef).toBe(watcherRef)
    expect(state.payload).toEqual({ ada: { metas: [{ phx_ref: joined?.phx_ref, online_at: 't0' }] } })

    const fromWatcher = watcher.frames.length
    await tracker.request(topic, 'presence', { type: 'presence', event: 'track', payload: { online_at: 't1' } }, trackerRef)
    const update = (await watcher.waitForMessage((m) => m.event === 'presence_diff', { from: fromWatcher })).payload as Diff
    expect(update.leaves).toEqual({ ada: { metas: [{ phx_ref: joined?.phx_ref, online_at: 't0' }] } })
    expect(update.joins.ada?.metas).toEqual([{ phx_ref: expect.any(String) as unknown, phx_ref_prev: joined?.phx_ref, online_at: 't1' }])
    expect(update.joins.ada?.metas[0]?.phx_ref).not.toBe(joined?.phx_ref)

    const fromUntrack = watcher.frames.length
    const untrack = await tracker.request(topic, 'presence', { type: 'presence', event: 'untrack' }, trackerRef)
    expect(replyOf(untrack)).toEqual({ status: 'ok', response: {} })
    const leave = (await watcher.waitForMessage((m) => m.event === 'presence_diff', { from: fromUntrack })).payload as Diff
    expect(leave.joins).toEqual({})
    expect(Object.keys(leave.leaves)).toEqual(['ada'])
    expect(leave.leaves.ada?.metas.map((m) => m.online_at)).toEqual(['t1'])
  })

  it('replies with the reference error when the track payload is not a map', async () => {
    const socket = await open()
    const topic = `realtime:${uniqueName('presence-map')}`
    const joinRef = await socket.joinOk(topic, { config: { presence: { enabled: true } } })
    for (const payload of ['text', [1, 2], 42, null]) {
      const reply = await socket.request(topic, 'presence', { type: 'presence', event: 'track', payload }, joinRef)
      expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'Presence track payload must be a map' } })
    }
  })

  it('replies error {} to an unknown presence event', async () => {
    const socket = await open()
    const topic = `realtime:${uniqueName('presence-unknown')}`
    const joinRef = await socket.joinOk(topic)
    const reply = await socket.request(topic, 'presence', { type: 'presence', event: 'dance' }, joinRef)
    expect(replyOf(reply)).toEqual({ status: 'error', response: {} })
  })

  it('closes the channel on the 6th presence call in the window', async () => {
    const socket = await open()
    const name = uniqueName('presence-rate')
    const topic = `realtime:${name}`
    const joinRef = await socket.joinOk(topic, { config: { presence: { enabled: true, key: 'k' } } })
    for (let i = 1; i <= 5; i++) {
      const reply = await socket.request(topic, 'presence', { type: 'presence', event: 'track', payload: { i } }, joinRef)
      expect(replyOf(reply).status).toBe('ok')
    }
    const from = socket.frames.length
    socket.push(topic, 'presence', { type: 'presence', event: 'track', payload: { i: 6 } }, joinRef)
    const close = await socket.waitForMessage((m) => m.event === 'phx_close' && m.topic === topic, { from })
    const system = topicMessages(socket, topic, from).find((m) => m.event === 'system')
    expect(system && systemOf(system)).toEqual({ extension: 'system', status: 'error', message: 'Client presence rate limit exceeded', channel: name })
    expect(topicMessages(socket, topic, from).indexOf(close)).toBeGreaterThan(topicMessages(socket, topic, from).indexOf(system as PhoenixMessage))
    expect(close).toEqual({ joinRef, ref: joinRef, topic, event: 'phx_close', payload: {} })
    expect(socket.isOpen).toBe(true)
  })
})

describe('auth on a joined channel', () => {
  async function expectClosedWith(socket: RawSocket, topic: string, joinRef: string, from: number, message: RegExp | string): Promise<void> {
    const close = await socket.waitForMessage((m) => m.event === 'phx_close' && m.topic === topic, { from })
    const messages = topicMessages(socket, topic, from)
    const system = messages.find((m) => m.event === 'system')
    expect(system, socket.describe(from)).toBeDefined()
    const payload = systemOf(system as PhoenixMessage)
    expect(payload).toMatchObject({ extension: 'system', status: 'error', channel: topic.slice('realtime:'.length) })
    if (typeof message === 'string') expect(payload?.message).toBe(message)
    else expect(payload?.message).toMatch(message)
    expect(messages.indexOf(close)).toBeGreaterThan(messages.indexOf(system as PhoenixMessage))
    expect(close).toEqual({ joinRef, ref: joinRef, topic, event: 'phx_close', payload: {} })
  }

  it('accepts a valid access_token without a reply and keeps the channel', async () => {
    const socket = await open()
    const topic = `realtime:${uniqueName('token-ok')}`
    const joinRef = await socket.joinOk(topic, { config: { broadcast: { ack: true } } })
    const from = socket.frames.length
    socket.push(topic, 'access_token', { access_token: signJwt({ role: 'authenticated', sub: 'u', exp: nowSeconds() + 600 }, server.jwtSecret) }, joinRef)
    socket.push(topic, 'access_token', { access_token: 'sb_publishable_ignored' }, joinRef)
    socket.push(topic, 'access_token', { access_token: null }, joinRef)
    await sleep(100)
    await flush(socket)
    expect(topicMessages(socket, topic, from)).toEqual([])
    const reply = await socket.request(topic, 'broadcast', { type: 'broadcast', event: 'x', payload: {} }, joinRef)
    expect(replyOf(reply).status).toBe('ok')
  })

  it.each([
    ['a token that is not a JWT', (): string => 'garbage', 'The token provided is not a valid JWT'],
    ['a forged token', (): string => signJwt({ role: 'anon', exp: nowSeconds() + 600 }, 'f'.repeat(40)), 'Failed to validate JWT signature'],
    ['an expired token', (): string => signJwt({ role: 'anon', exp: nowSeconds() - 5 }, server.jwtSecret), /^Token has expired \d+ seconds ago$/],
  ] as const)('closes the channel on access_token with %s', async (_label, token, message) => {
    const socket = await open('2.0.0')
    const topic = `realtime:${uniqueName('token-bad')}`
    const joinRef = await socket.joinOk(topic)
    const from = socket.frames.length
    socket.push(topic, 'access_token', { access_token: token() }, joinRef)
    await expectClosedWith(socket, topic, joinRef, from, message)
    expect(replyOf(await socket.heartbeat()).status).toBe('ok')
  })

  it('closes a vsn 1 channel with the same system message and phx_close', async () => {
    const socket = await open('1.0.0')
    const topic = `realtime:${uniqueName('token-v1')}`
    const joinRef = await socket.joinOk(topic)
    const from = socket.frames.length
    socket.push(topic, 'access_token', { access_token: 'garbage' }, joinRef)
    await expectClosedWith(socket, topic, joinRef, from, 'The token provided is not a valid JWT')
    const system = topicMessages(socket, topic, from).find((m) => m.event === 'system')
    expect(rawJson(socket, system as PhoenixMessage)).toMatchObject({
      topic,
      event: 'system',
      payload: { extension: 'system', status: 'error', message: 'The token provided is not a valid JWT', channel: topic.slice(9) },
    })
  })

  it('closes the channel when its token expires', async () => {
    const socket = await open()
    const topic = `realtime:${uniqueName('token-expiry')}`
    const joinRef = await socket.joinOk(topic, { config: {}, access_token: signJwt({ role: 'authenticated', exp: nowSeconds() + 2 }, server.jwtSecret) })
    const from = socket.frames.length
    await expectClosedWith(socket, topic, joinRef, from, /^Token has expired \d+ seconds ago$/)
    expect(socket.isOpen).toBe(true)
  })
})

describe('malformed frames', () => {
  it('ignores vsn 2 text frames that are not arrays of 5 and keeps the socket open', async () => {
    const socket = await open('2.0.0')
    await socket.joinOk('realtime:malformed')
    const from = socket.frames.length
    for (const text of ['{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"}', '[null,"2","phoenix","heartbeat"]', '[]', 'not json', '"str"', '42', 'null', '[null,"3",1,2,3]']) {
      socket.sendText(text)
    }
    const reply = await socket.heartbeat()
    expect(replyOf(reply).status).toBe('ok')
    expect(socket.messages(from)).toEqual([reply])
    expect(socket.isOpen).toBe(true)
  })
})

describe('limits', () => {
  it('refuses joins beyond the channels-per-client limit with ChannelRateLimitReached', async () => {
    const limited = await startServer({ limits: { maxChannelsPerClient: 2 } })
    const socket = await open('2.0.0', limited)
    const first = await socket.joinOk('realtime:c1')
    await socket.joinOk('realtime:c2')
    const { reply } = await socket.join('realtime:c3')
    expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'ChannelRateLimitReached: Too many channels' } })
    // Leaving one makes room again; other sockets are not affected.
    socket.push('realtime:c1', 'phx_leave', {}, first)
    await socket.waitForMessage((m) => m.event === 'phx_close' && m.topic === 'realtime:c1')
    await socket.joinOk('realtime:c3')
    const other = await open('2.0.0', limited)
    await other.joinOk('realtime:c1')
  })

  it('refuses joins beyond the joins-per-second limit and disconnects the socket', async () => {
    const limited = await startServer({ limits: { maxJoinsPerSecond: 2, rateWindowMs: 5_000 } })
    const socket = await open('2.0.0', limited)
    const reasons: string[] = []
    for (let i = 0; i < 15 && socket.isOpen; i++) {
      const { reply } = await socket.join(`realtime:j${i}`).catch(() => ({ reply: null }))
      if (!reply) break
      const { status, response } = replyOf(reply)
      if (status === 'error') reasons.push((response as { reason: string }).reason)
    }
    expect(reasons[0]).toBe('ClientJoinRateLimitReached: Too many joins per second')
    await socket.waitForClose()
  })

  it('refuses sockets beyond the concurrent-users limit, at join and at connect', async () => {
    const limited = await startServer({ limits: { maxConcurrentUsers: 1 } })
    const first = await open('2.0.0', limited)
    const second = await open('2.0.0', limited)
    await first.joinOk('realtime:users')
    const { reply } = await second.join('realtime:users')
    expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'ConnectionRateLimitReached: Too many connected users' } })
    const third = await RawSocket.tryConnect(limited.url, { apikey: limited.anonKey })
    expect(third).not.toBeInstanceOf(RawSocket)
    expect((third as RefusedUpgrade).status).toBe(429)
    expect(JSON.parse((third as RefusedUpgrade).body)).toEqual({ error: 'Too many connected users' })
    // The counted socket can still join more channels.
    await first.joinOk('realtime:users-2')
  })

  it('refuses public joins when the server allows only private channels', async () => {
    const limited = await startServer({ privateOnly: true })
    const socket = await open('2.0.0', limited)
    const { reply } = await socket.join('realtime:public-room')
    expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'PrivateOnly: This project only allows private channels' } })
  })

  it('delays join errors and refused upgrades by the configured backoffs', async () => {
    const slow = await startServer({ channelErrorBackoffMs: 400, connectErrorBackoffMs: 400 })
    const socket = await open('2.0.0', slow)
    let started = Date.now()
    const { reply } = await socket.join('realtime:')
    expect(replyOf(reply).status).toBe('error')
    expect(Date.now() - started).toBeGreaterThanOrEqual(350)
    // A good join is not delayed by the backoff of an error.
    started = Date.now()
    await socket.joinOk('realtime:fine')
    started = Date.now()
    const refused = await RawSocket.tryConnect(slow.url, { apikey: 'not-a-jwt' })
    expect((refused as RefusedUpgrade).status).toBe(401)
    expect(Date.now() - started).toBeGreaterThanOrEqual(350)
  })

  it('closes the channel when a presence meta exceeds the payload limit', async () => {
    const limited = await startServer({ limits: { maxPayloadSizeKb: 1 } })
    const socket = await open('2.0.0', limited)
    const topic = 'realtime:big-presence'
    const joinRef = await socket.joinOk(topic, { config: { presence: { enabled: true, key: 'k' } } })
    const from = socket.frames.length
    socket.push(topic, 'presence', { type: 'presence', event: 'track', payload: { blob: 'x'.repeat(5_000) } }, joinRef)
    const close = await socket.waitForMessage((m) => m.event === 'phx_close' && m.topic === topic, { from })
    const system = topicMessages(socket, topic, from).find((m) => m.event === 'system')
    expect(system && systemOf(system)).toEqual({ extension: 'system', status: 'error', message: 'Track message size exceeded', channel: 'big-presence' })
    expect(close.joinRef).toBe(joinRef)
  })

  it('answers an oversized broadcast with payload_size_exceeded when ack is on, and drops it otherwise', async () => {
    const limited = await startServer({ limits: { maxPayloadSizeKb: 1 } })
    const sender = await open('2.0.0', limited)
    const receiver = await open('2.0.0', limited)
    const topic = 'realtime:big'
    const ackRef = await sender.joinOk(topic, { config: { broadcast: { ack: true } } })
    await receiver.joinOk(topic)
    const from = receiver.frames.length
    const big = { blob: 'x'.repeat(5_000) }

    const ref = sender.makeRef()
    sender.broadcastBinary({ joinRef: ackRef, ref, topic, event: 'big', payload: big })
    const reply = await sender.waitForMessage((m) => m.event === 'phx_reply' && m.ref === ref)
    expect(replyOf(reply)).toEqual({ status: 'error', response: { error: 'payload_size_exceeded' } })
    const textReply = await sender.request(topic, 'broadcast', { type: 'broadcast', event: 'big', payload: big }, ackRef)
    expect(replyOf(textReply)).toEqual({ status: 'error', response: { error: 'payload_size_exceeded' } })

    const quiet = await open('2.0.0', limited)
    const quietRef = await quiet.joinOk(topic)
    const quietFrom = quiet.frames.length
    quiet.broadcastBinary({ joinRef: quietRef, ref: quiet.makeRef(), topic, event: 'big', payload: big })
    quiet.broadcastBinary({ joinRef: quietRef, ref: quiet.makeRef(), topic, event: 'small', payload: { ok: true } })
    await receiver.waitForFrame((f) => f.userBroadcast?.event === 'small', { from })
    expect(receiver.frames.slice(from).map((f) => f.userBroadcast?.event)).toEqual(['small'])
    await flush(quiet)
    expect(topicMessages(quiet, topic, quietFrom)).toEqual([])
  })

  it('closes channels with `Too many messages per second` and answers REST with 429', async () => {
    const limited = await startServer({ limits: { maxEventsPerSecond: 5, rateWindowMs: 8_000 } })
    const sender = await open('2.0.0', limited)
    const receiver = await open('2.0.0', limited)
    const name = 'flood'
    const topic = `realtime:${name}`
    const joinRef = await sender.joinOk(topic)
    await receiver.joinOk(topic)
    const from = sender.frames.length
    for (let n = 0; n < 60 && sender.isOpen; n++) {
      sender.broadcastBinary({ joinRef, ref: sender.makeRef(), topic, event: 'n', payload: { n } })
    }
    const close = await sender.waitForMessage((m) => m.event === 'phx_close' && m.topic === topic, { from })
    const system = topicMessages(sender, topic, from).find((m) => m.event === 'system')
    expect(system && systemOf(system)).toEqual({ extension: 'system', status: 'error', message: 'Too many messages per second', channel: name })
    expect(close).toEqual({ joinRef, ref: joinRef, topic, event: 'phx_close', payload: {} })

    const response = await fetch(`${limited.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: limited.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: name, event: 'n', payload: {} }] }),
    })
    expect(response.status).toBe(429)
    expect(await response.json()).toEqual({ message: expect.any(String) as unknown })

    // Once the window has passed, the server accepts messages again.
    await waitUntil(
      async () => {
        const retry = await fetch(`${limited.url}/realtime/v1/api/broadcast`, {
          method: 'POST',
          headers: { apikey: limited.anonKey, 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [] }),
        })
        return retry.status === 202
      },
      { timeoutMs: 30_000, intervalMs: 500, message: 'REST accepted again after the rate window' },
    )
    const again = await open('2.0.0', limited)
    await again.joinOk(topic)
  })

  it('allows presence calls again once the presence window has passed', async () => {
    const limited = await startServer({ limits: { presenceMaxCalls: 2, presenceWindowMs: 400 } })
    const socket = await open('2.0.0', limited)
    const topic = 'realtime:presence-window'
    const joinRef = await socket.joinOk(topic, { config: { presence: { enabled: true, key: 'k' } } })
    for (const round of [1, 2, 3]) {
      for (const call of [1, 2]) {
        const reply = await socket.request(topic, 'presence', { type: 'presence', event: 'track', payload: { round, call } }, joinRef)
        expect(replyOf(reply).status).toBe('ok')
      }
      await sleep(500)
    }
    expect(topicMessages(socket, topic).some((m) => m.event === 'phx_close')).toBe(false)
  })
})
