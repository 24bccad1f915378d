// @vitest-environment node
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type {
  ChannelAuthContext,
  ChannelPermissions,
  DatabaseBroadcast,
  DatabaseHooks,
  JwtClaims,
  PostgresBinding,
  PostgresChangeData,
  PostgresSubscription,
} from '../../server/database-hooks'
import { signJwt, type RealtimeServer } from '../../server/index'
import { RawSocket, replyOf, type PhoenixMessage } from '../helpers/raw-socket'
import { createTestClient, startTestServer, waitFor } from '../helpers/server-fixture'

interface FakeSubscription {
  topic: string
  bindings: PostgresBinding[]
  claims: JwtClaims[]
  closed: boolean
  deliver(ids: number[], data: PostgresChangeData): void
  onReady(): void
  onError(message: string): void
}

/** A scripted database layer: records every hook call and answers from the fields below. */
class FakeDatabase implements DatabaseHooks {
  readonly url = 'postgresql://fake'
  read: (ctx: ChannelAuthContext) => ChannelPermissions = () => ({ broadcastRead: true, presenceRead: true })
  write: (ctx: ChannelAuthContext, extension: 'broadcast' | 'presence') => boolean = () => true
  /** What a new subscription does; by default it becomes ready on the next tick. */
  onSubscribe: (sub: FakeSubscription) => void = (sub) => setTimeout(() => sub.onReady(), 0)
  replayMessages: DatabaseBroadcast[] = []
  /** Make `updateClaims` throw synchronously, like a bug inside the database layer. */
  failClaimsUpdate = false
  readonly readCalls: ChannelAuthContext[] = []
  readonly writeCalls: Array<{ topic: string; extension: string }> = []
  readonly replayCalls: Array<{ topic: string; since: number; limit: number }> = []
  readonly subscriptions: FakeSubscription[] = []
  private readonly listeners = new Set<(m: DatabaseBroadcast) => void>()

  authorizeRead(ctx: ChannelAuthContext): Promise<ChannelPermissions> {
    this.readCalls.push(ctx)
    return Promise.resolve(this.read(ctx))
  }
  authorizeWrite(ctx: ChannelAuthContext, extension: 'broadcast' | 'presence'): Promise<boolean> {
    this.writeCalls.push({ topic: ctx.topic, extension })
    return Promise.resolve(this.write(ctx, extension))
  }
  subscribePostgresChanges(args: Parameters<DatabaseHooks['subscribePostgresChanges']>[0]): PostgresSubscription {
    const sub: FakeSubscription = { ...args, claims: [args.claims], closed: false }
    this.subscriptions.push(sub)
    this.onSubscribe(sub)
    return {
      updateClaims: (claims) => {
        if (this.failClaimsUpdate) throw new Error('claims update exploded')
        sub.claims.push(claims)
        return Promise.resolve()
      },
      close: () => {
        sub.closed = true
      },
    }
  }
  replay(topic: string, since: number, limit: number): Promise<DatabaseBroadcast[]> {
    this.replayCalls.push({ topic, since, limit })
    return Promise.resolve(this.replayMessages)
  }
  onBroadcast(listener: (message: DatabaseBroadcast) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  emit(message: DatabaseBroadcast): void {
    for (const l of this.listeners) l(message)
  }
  stop(): Promise<void> {
    return Promise.resolve()
  }
}

const payloadOf = (m: PhoenixMessage): Record<string, unknown> => m.payload as Record<string, unknown>
const dbMessage = (over: Partial<DatabaseBroadcast> = {}): DatabaseBroadcast => ({
  topic: 'priv',
  event: 'db-event',
  payload: { n: 1 },
  binary: false,
  private: true,
  id: 'id-1',
  insertedAt: Date.now(),
  ...over,
})

describe('database hooks', () => {
  let db: FakeDatabase
  let server: RealtimeServer
  let noDb: RealtimeServer
  const sockets: RawSocket[] = []
  const open = async (vsn: '1.0.0' | '2.0.0' = '2.0.0', on: RealtimeServer = server): Promise<RawSocket> => {
    const s = await RawSocket.connect(on.url, { apikey: on.anonKey, vsn })
    sockets.push(s)
    return s
  }

  beforeAll(async () => {
    db = new FakeDatabase()
    server = await startTestServer({ database: db })
    noDb = await startTestServer({ database: false })
  })
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()))
    db.read = () => ({ broadcastRead: true, presenceRead: true })
    db.write = () => true
    db.onSubscribe = (sub) => setTimeout(() => sub.onReady(), 0)
    db.replayMessages = []
    db.failClaimsUpdate = false
  })
  afterAll(async () => {
    await Promise.all([server.stop(), noDb.stop()])
  })

  describe('without a database', () => {
    it.each([
      ['a private join', { config: { private: true } }],
      ['postgres_changes bindings', { config: { postgres_changes: [{ event: '*', schema: 'public', table: 't' }] } }],
    ])('refuses %s with UnableToConnectToProject', async (_name, payload) => {
      const s = await open('2.0.0', noDb)
      const { reply } = await s.join('realtime:x', payload)
      expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'UnableToConnectToProject: Realtime was unable to connect to the project database' } })
    })
  })

  describe('private channels', () => {
    it('asks authorizeRead with the channel name, claims and token, and refuses without read permission', async () => {
      db.read = () => ({ broadcastRead: false, presenceRead: false })
      const s = await open()
      const { reply } = await s.join('realtime:priv', { config: { private: true } })
      expect(replyOf(reply)).toEqual({ status: 'error', response: { reason: 'Unauthorized: You do not have permissions to read from this Channel topic: priv' } })
      expect(db.readCalls.at(-1)).toMatchObject({ topic: 'priv', claims: { role: 'anon' }, token: server.anonKey })
    })

    it('uses the join access_token for the checks', async () => {
      const user = signJwt({ role: 'authenticated', sub: 'u1', exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret)
      const s = await open()
      await s.joinOk('realtime:priv', { config: { private: true }, access_token: user })
      expect(db.readCalls.at(-1)).toMatchObject({ topic: 'priv', claims: { role: 'authenticated', sub: 'u1' }, token: user })
    })

    it('checks broadcast write once per channel and keeps public and private apart', async () => {
      const writesBefore = db.writeCalls.length
      const sender = await open()
      const privateReader = await open()
      const publicReader = await open()
      const senderRef = await sender.joinOk('realtime:priv', { config: { private: true, broadcast: { ack: true } } })
      await privateReader.joinOk('realtime:priv', { config: { private: true } })
      await publicReader.joinOk('realtime:priv', { config: {} })
      for (const n of [1, 2]) {
        const reply = await sender.request('realtime:priv', 'broadcast', { type: 'broadcast', event: 'e', payload: { n } }, senderRef)
        expect(replyOf(reply).status).toBe('ok')
      }
      await privateReader.waitForMessage((m) => m.event === 'broadcast' && JSON.stringify(m.payload).includes('"n":2'))
      expect(db.writeCalls.slice(writesBefore)).toEqual([{ topic: 'priv', extension: 'broadcast' }])
      // The public channel of the same name gets its own broadcast but never the private ones.
      const publicRef = publicReader.messages().length
      const pubSender = await open()
      const pubRef = await pubSender.joinOk('realtime:priv', { config: {} })
      pubSender.push('realtime:priv', 'broadcast', { type: 'broadcast', event: 'e', payload: { pub: true } }, pubRef)
      const first = await publicReader.waitForMessage((m) => m.event === 'broadcast', { from: publicRef })
      expect(payloadOf(first).payload).toEqual({ pub: true })
    })

    it('drops a broadcast without write permission silently (no ack, no fan-out)', async () => {
      const denied = await open()
      const reader = await open()
      db.write = () => false
      const writesBefore = db.writeCalls.length
      const deniedRef = await denied.joinOk('realtime:priv', { config: { private: true, broadcast: { ack: true } } })
      await reader.joinOk('realtime:priv', { config: { private: true } })
      const from = denied.messages().length
      denied.push('realtime:priv', 'broadcast', { type: 'broadcast', event: 'e', payload: { denied: true } }, deniedRef)
      await waitFor(() => db.writeCalls.length > writesBefore)
      db.write = () => true
      const allowed = await open()
      const allowedRef = await allowed.joinOk('realtime:priv', { config: { private: true } })
      allowed.push('realtime:priv', 'broadcast', { type: 'broadcast', event: 'e', payload: { allowed: true } }, allowedRef)
      const first = await reader.waitForMessage((m) => m.event === 'broadcast')
      expect(payloadOf(first).payload).toEqual({ allowed: true })
      await denied.heartbeat()
      expect(denied.messages(from).filter((m) => m.event === 'phx_reply' && m.topic === 'realtime:priv')).toEqual([])
    })

    it('answers a track without presence write permission with error {}', async () => {
      db.write = (_ctx, extension) => extension !== 'presence'
      const s = await open()
      const ref = await s.joinOk('realtime:priv', { config: { private: true, presence: { enabled: true } } })
      const reply = await s.request('realtime:priv', 'presence', { type: 'presence', event: 'track', payload: { a: 1 } }, ref)
      expect(replyOf(reply)).toEqual({ status: 'error', response: {} })
    })

    it('sends no presence to a socket without presence read permission', async () => {
      db.read = () => ({ broadcastRead: true, presenceRead: false })
      const s = await open()
      const ref = await s.joinOk('realtime:priv', { config: { private: true, presence: { enabled: true } } })
      const reply = await s.request('realtime:priv', 'presence', { type: 'presence', event: 'track', payload: { a: 1 } }, ref)
      expect(replyOf(reply).status).toBe('ok')
      await s.heartbeat()
      expect(s.messages().filter((m) => m.event.startsWith('presence_'))).toEqual([])
    })

    it('closes the channel when an access_token revokes read permission, and updates claims', async () => {
      const s = await open()
      const ref = await s.joinOk('realtime:priv', { config: { private: true } })
      db.read = (ctx) => ({ broadcastRead: ctx.claims.role !== 'revoked', presenceRead: false })
      const token = signJwt({ role: 'revoked', exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret)
      s.push('realtime:priv', 'access_token', { access_token: token }, ref)
      const system = await s.waitForMessage((m) => m.event === 'system')
      expect(system.payload).toEqual({
        extension: 'system',
        status: 'error',
        message: 'You no longer have permission to read from this Channel topic: priv',
        channel: 'priv',
      })
      await s.waitForMessage((m) => m.event === 'phx_close' && m.joinRef === ref)
    })

    it('counts joins still waiting for authorization against the channels-per-client limit', async () => {
      const slow = new FakeDatabase()
      const read = slow.authorizeRead.bind(slow)
      slow.authorizeRead = (ctx) => new Promise((resolve) => setTimeout(() => resolve(read(ctx)), 50))
      const limited = await startTestServer({ database: slow, limits: { maxChannelsPerClient: 2 } })
      try {
        const s = await open('2.0.0', limited)
        const replies = await Promise.all(['a', 'b', 'c', 'd'].map((t) => s.join(`realtime:${t}`, { config: { private: true } })))
        const statuses = replies.map((r) => replyOf(r.reply))
        expect(statuses.filter((r) => r.status === 'ok')).toHaveLength(2)
        expect(statuses.filter((r) => r.status === 'error').map((r) => r.response)).toEqual([
          { reason: 'ChannelRateLimitReached: Too many channels' },
          { reason: 'ChannelRateLimitReached: Too many channels' },
        ])
      } finally {
        await limited.stop()
      }
    })

    it('holds messages sent during a slow join and handles them in order once it is joined', async () => {
      const slow = new FakeDatabase()
      const read = slow.authorizeRead.bind(slow)
      slow.authorizeRead = (ctx) => new Promise((resolve) => setTimeout(() => resolve(read(ctx)), 100))
      const delayed = await startTestServer({ database: slow })
      try {
        const s = await open('2.0.0', delayed)
        const joinRef = s.push('realtime:slow', 'phx_join', { config: { private: true, broadcast: { ack: true, self: true } } }, null)
        const refs = [1, 2, 3].map((n) => s.push('realtime:slow', 'broadcast', { type: 'broadcast', event: 'e', payload: { n } }, joinRef))
        await waitFor(() => s.messages().filter((m) => m.event === 'broadcast').length === 3)
        const seen = s.messages().flatMap((m) => (m.event === 'phx_reply' ? [`reply ${m.ref ?? ''}`] : m.event === 'broadcast' ? ['broadcast'] : []))
        expect(seen.slice(0, 4)).toEqual([`reply ${joinRef}`, 'broadcast', `reply ${refs[0]!}`, 'broadcast'])
        expect(s.messages().filter((m) => m.event === 'broadcast').map((m) => (payloadOf(m).payload as { n: number }).n)).toEqual([1, 2, 3])
      } finally {
        await delayed.stop()
      }
    })

    it('refuses a public join when privateOnly is set', async () => {
      const strict = await startTestServer({ privateOnly: true, database: db })
      try {
        const s = await open('2.0.0', strict)
        const { reply } = await s.join('realtime:pub', { config: { private: false } })
        expect(replyOf(reply).response).toEqual({ reason: 'PrivateOnly: This project only allows private channels' })
        expect(await s.joinOk('realtime:priv', { config: { private: true } })).toBeTruthy()
      } finally {
        await strict.stop()
      }
    })
  })

  describe('postgres_changes', () => {
    const bindings = [
      { event: 'INSERT', schema: 'public', table: 'messages', filter: 'room_id=eq.1' },
      { event: '*', schema: 'public', table: 'todos' },
    ]

    it('echoes the bindings in order with stable ids and subscribes them', async () => {
      const s = await open()
      const { joinRef, reply } = await s.join('realtime:room', { config: { postgres_changes: bindings } })
      const echoed = (replyOf(reply).response as { postgres_changes: Array<Record<string, unknown>> }).postgres_changes
      expect(echoed.map(({ id: _id, ...rest }) => rest)).toEqual(bindings)
      const ids = echoed.map((b) => b.id)
      expect(ids.every((id) => typeof id === 'number' && id >= 0 && id < 2 ** 27)).toBe(true)
      const sub = db.subscriptions.at(-1)!
      expect(sub.topic).toBe('room')
      expect(sub.bindings.map((b) => b.id)).toEqual(ids)
      const system = await s.waitForMessage((m) => m.event === 'system')
      expect(system.joinRef).toBe(joinRef)
      expect(system.payload).toEqual({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'room' })
      const again = await open()
      const second = await again.join('realtime:other', { config: { postgres_changes: bindings } })
      expect((replyOf(second.reply).response as { postgres_changes: Array<{ id: number }> }).postgres_changes.map((b) => b.id)).toEqual(ids)
    })

    it('delivers changes to a real supabase-js client', async () => {
      const client = createTestClient(server)
      const received: unknown[] = []
      const channel = client
        .channel('pg-room')
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' }, (p) => received.push(p))
      try {
        await new Promise<void>((resolve, reject) =>
          channel.subscribe((status, err) => (status === 'SUBSCRIBED' ? resolve() : err ? reject(err) : undefined)),
        )
        const sub = await waitFor(() => db.subscriptions.find((x) => x.topic === 'pg-room' && !x.closed))
        sub.deliver([sub.bindings[0]!.id], {
          schema: 'public',
          table: 'messages',
          commit_timestamp: '2025-01-01T00:00:00.000Z',
          type: 'INSERT',
          columns: [{ name: 'id', type: 'int8' }],
          record: { id: 1 },
          errors: null,
        })
        await waitFor(() => received.length === 1)
        expect(received[0]).toMatchObject({ eventType: 'INSERT', table: 'messages', new: { id: 1 } })
      } finally {
        await client.removeAllChannels()
      }
      await waitFor(() => db.subscriptions.find((x) => x.topic === 'pg-room')?.closed)
    })

    it('reports a subscription error as a system message and keeps the channel', async () => {
      db.onSubscribe = (sub) => setTimeout(() => sub.onError('Unable to subscribe to changes with given parameters'), 0)
      const s = await open()
      const ref = await s.joinOk('realtime:room', { config: { postgres_changes: bindings } })
      const system = await s.waitForMessage((m) => m.event === 'system')
      expect(system.payload).toMatchObject({ extension: 'postgres_changes', status: 'error', message: 'Unable to subscribe to changes with given parameters' })
      expect(replyOf(await s.heartbeat()).status).toBe('ok')
      const reply = await s.request('realtime:room', 'presence', { type: 'presence', event: 'untrack' }, ref)
      expect(replyOf(reply).status).toBe('ok')
    })

    it('holds the join reply until ready with postgres_changes_options.wait', async () => {
      let ready: (() => void) | null = null
      db.onSubscribe = (sub) => (ready = () => sub.onReady())
      const s = await open()
      const pending = s.join('realtime:room', { config: { postgres_changes: bindings, postgres_changes_options: { wait: true, timeout: 5000 } } })
      const makeReady = await waitFor(() => ready)
      expect(s.messages()).toEqual([])
      makeReady()
      const { reply } = await pending
      expect(replyOf(reply).status).toBe('ok')
      await s.waitForMessage((m) => m.event === 'system')
    })

    it('fails a waiting join after the timeout and closes the subscription', async () => {
      db.onSubscribe = () => {}
      const s = await open()
      const { reply } = await s.join('realtime:room', { config: { postgres_changes: bindings, postgres_changes_options: { wait: true, timeout: 100 } } })
      expect(replyOf(reply).response).toEqual({ reason: 'PostgresChangesSubscribeTimeout: Timed out after 100ms waiting for the postgres_changes subscription' })
      expect(db.subscriptions.at(-1)!.closed).toBe(true)
    })

    it('fails a waiting join with RealtimeDisabledForConfiguration on a subscription error', async () => {
      db.onSubscribe = (sub) => setTimeout(() => sub.onError('bad filter'), 0)
      const s = await open()
      const { reply } = await s.join('realtime:room', { config: { postgres_changes: bindings, postgres_changes_options: { wait: true } } })
      expect(replyOf(reply).response).toEqual({ reason: 'RealtimeDisabledForConfiguration: bad filter' })
    })

    it('passes new claims to the subscription after an access_token', async () => {
      const s = await open()
      const ref = await s.joinOk('realtime:room', { config: { postgres_changes: bindings } })
      const token = signJwt({ role: 'authenticated', sub: 'u2', exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret)
      s.push('realtime:room', 'access_token', { access_token: token }, ref)
      const sub = db.subscriptions.at(-1)!
      await waitFor(() => sub.claims.length === 2)
      expect(sub.claims[1]).toMatchObject({ role: 'authenticated', sub: 'u2' })
    })

    it('answers a crash while handling a channel with phx_error, drops its presence and keeps the socket', async () => {
      const watcher = await open()
      await watcher.joinOk('realtime:room', { config: { presence: { enabled: true } } })
      const s = await open()
      const ref = await s.joinOk('realtime:room', { config: { postgres_changes: bindings, presence: { enabled: true, key: 'crasher' } } })
      await s.request('realtime:room', 'presence', { type: 'presence', event: 'track', payload: { here: true } }, ref)
      await watcher.waitForMessage((m) => m.event === 'presence_diff' && JSON.stringify(m.payload).includes('"joins":{"crasher"'))
      db.failClaimsUpdate = true
      const from = s.frames.length
      const token = signJwt({ role: 'authenticated', sub: 'u3', exp: Math.floor(Date.now() / 1000) + 3600 }, server.jwtSecret)
      s.push('realtime:room', 'access_token', { access_token: token }, ref)
      const crashed = await s.waitForMessage((m) => m.event === 'phx_error', { from })
      expect(crashed).toEqual({ joinRef: ref, ref, topic: 'realtime:room', event: 'phx_error', payload: {} })
      await watcher.waitForMessage((m) => m.event === 'presence_diff' && JSON.stringify(m.payload).includes('"leaves":{"crasher"'))
      expect(db.subscriptions.at(-1)?.closed).toBe(true)
      // The socket survives: the client rejoins as supabase-js does after phx_error.
      db.failClaimsUpdate = false
      await expect(s.joinOk('realtime:room', { config: { postgres_changes: bindings } })).resolves.toBeTypeOf('string')
    })

    it('closes the subscription when the socket goes away', async () => {
      const s = await open()
      await s.joinOk('realtime:room', { config: { postgres_changes: bindings } })
      const sub = db.subscriptions.at(-1)!
      await s.close()
      await waitFor(() => sub.closed)
    })
  })

  describe('replay and broadcasts from the database', () => {
    it('confirms broadcast.replication_ready with a system message after the join', async () => {
      const s = await open()
      const ref = await s.joinOk('realtime:priv', { config: { private: true, broadcast: { replication_ready: true } } })
      const system = await s.waitForMessage((m) => m.event === 'system')
      expect(system).toMatchObject({
        joinRef: ref,
        payload: { extension: 'system', status: 'ok', message: 'Replication connection established', channel: 'priv' },
      })
    })

    it('refuses replay on a public channel', async () => {
      const s = await open()
      const { reply } = await s.join('realtime:pub', { config: { broadcast: { replay: { since: 0, limit: 5 } } } })
      expect(replyOf(reply).response).toEqual({ reason: 'UnableToReplayMessages: Replay is not allowed for public channels' })
    })

    it('pushes replayed messages after the join and suppresses their live copies', async () => {
      db.replayMessages = [dbMessage({ id: 'r1', payload: { n: 1 } }), dbMessage({ id: 'r2', payload: { n: 2 } })]
      const s = await open()
      const ref = await s.joinOk('realtime:priv', { config: { private: true, broadcast: { replay: { since: 123, limit: 99 } } } })
      expect(db.replayCalls.at(-1)).toEqual({ topic: 'priv', since: 123, limit: 25 })
      const replayed = await waitFor(() => {
        const list = s.messages().filter((m) => m.event === 'broadcast')
        return list.length === 2 ? list : null
      })
      expect(replayed.map((m) => m.joinRef)).toEqual([ref, ref])
      expect(replayed.map((m) => m.payload)).toEqual([
        { type: 'broadcast', event: 'db-event', payload: { n: 1 }, meta: { replayed: true, id: 'r1' } },
        { type: 'broadcast', event: 'db-event', payload: { n: 2 }, meta: { replayed: true, id: 'r2' } },
      ])
      db.emit(dbMessage({ id: 'r2', payload: { n: 2 } }))
      db.emit(dbMessage({ id: 'live', payload: { n: 3 } }))
      const live = await s.waitForFrame((f) => f.userBroadcast !== null)
      expect(live.userBroadcast).toEqual({ topic: 'realtime:priv', event: 'db-event', metadata: { id: 'live' }, encoding: 1, payload: { n: 3 } })
      expect(s.messages().filter((m) => m.event === 'broadcast').length).toBe(3)
    })

    it('fans database broadcasts out as kind 4 to vsn 2 and JSON to vsn 1, only to matching private flags', async () => {
      const v2 = await open('2.0.0')
      const v1 = await open('1.0.0')
      const pub = await open('2.0.0')
      await v2.joinOk('realtime:priv', { config: { private: true } })
      await v1.joinOk('realtime:priv', { config: { private: true } })
      await pub.joinOk('realtime:priv', { config: {} })
      db.emit(dbMessage({ id: 'd1' }))
      db.emit(dbMessage({ id: 'd2', private: false, payload: { pub: 1 } }))
      const bin = await v2.waitForFrame((f) => f.userBroadcast !== null)
      expect(bin.userBroadcast).toMatchObject({ metadata: { id: 'd1' }, payload: { n: 1 } })
      const text = await v1.waitForMessage((m) => m.event === 'broadcast')
      expect(text).toMatchObject({ joinRef: null, payload: { type: 'broadcast', event: 'db-event', payload: { n: 1 }, meta: { id: 'd1' } } })
      const pubFrame = await pub.waitForFrame((f) => f.userBroadcast !== null)
      expect(pubFrame.userBroadcast).toMatchObject({ metadata: { id: 'd2' }, payload: { pub: 1 } })
    })
  })
})
