/**
 * A small stand-in for the parts of supabase-js the channel registry and the collections use: a
 * client whose `channel()` hands out fake channels that a test drives by hand (join, error, close
 * by the server, rejoin, broadcasts, database changes), and a `from()` whose rows the test
 * answers. For fast unit specs of one module; the real stack is covered by test/integration/.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Row } from '../../src/core/types'

type Handler = (payload: unknown) => void
type StatusCallback = (status: string, error?: Error) => void

interface Binding {
  type: string
  filter: Record<string, unknown>
  callback: Handler
}

/** What a fake channel was asked to push. */
export interface FakePush {
  kind: 'send' | 'track' | 'untrack'
  payload: unknown
}

/** One channel object, as `client.channel(name)` returns it. */
export class FakeChannel {
  joinedOnce = false
  state: 'closed' | 'joining' | 'joined' | 'errored' | 'leaving' = 'closed'
  private = false
  readonly topic: string
  readonly pushes: FakePush[] = []
  /** Join payloads set for the next rejoin (`updateJoinPayload`). */
  readonly joinPayloads: Record<string, unknown>[] = []
  /** What `send()` answers; a function can hold the answer back. */
  sendResult: () => Promise<string> = () => Promise.resolve('ok')
  removed = false
  private readonly bindings: Binding[] = []
  private onStatus: StatusCallback | null = null

  constructor(
    readonly name: string,
    public params: { config: Record<string, unknown> },
  ) {
    this.topic = `realtime:${name}`
    this.private = params.config['private'] === true
  }

  on(type: string, filter: Record<string, unknown>, callback: Handler): this {
    this.bindings.push({ type, filter, callback })
    return this
  }

  subscribe(callback: StatusCallback): this {
    this.joinedOnce = true
    this.state = 'joining'
    this.onStatus = callback
    return this
  }

  send(message: unknown): Promise<string> {
    this.pushes.push({ kind: 'send', payload: message })
    return this.sendResult()
  }

  track(state: unknown): Promise<string> {
    this.pushes.push({ kind: 'track', payload: state })
    return Promise.resolve('ok')
  }

  untrack(): Promise<string> {
    this.pushes.push({ kind: 'untrack', payload: null })
    return Promise.resolve('ok')
  }

  updateJoinPayload(payload: Record<string, unknown>): void {
    this.joinPayloads.push(payload)
  }

  // ---- driven by the test ------------------------------------------------------------------

  /** The server accepted the join (and, with `database`, confirmed the database changes). */
  join(database = false): void {
    this.state = 'joined'
    this.onStatus?.('SUBSCRIBED')
    if (database) this.system({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL' })
  }

  /** The join failed, or the link dropped (`reason` as supabase-js reports it). */
  error(reason: string): void {
    this.state = 'errored'
    this.onStatus?.('CHANNEL_ERROR', new Error(reason))
  }

  /** The server closed the channel, after a `system` message giving the reason. */
  closeByServer(reason = 'closed by the server'): void {
    this.system({ status: 'error', message: reason })
    this.state = 'closed'
    this.onStatus?.('CLOSED')
  }

  system(payload: Record<string, unknown>): void {
    for (const b of this.bindings) if (b.type === 'system') b.callback(payload)
  }

  /** A broadcast from the server. */
  broadcast(event: string, payload: unknown, meta?: Record<string, unknown>): void {
    for (const b of this.bindings) {
      if (b.type === 'broadcast' && (b.filter['event'] === '*' || b.filter['event'] === event)) b.callback({ type: 'broadcast', event, payload, ...(meta ? { meta } : {}) })
    }
  }

  /** A database change frame, delivered (as supabase-js does) to every binding it matches, as one object. */
  change(table: string, eventType: 'INSERT' | 'UPDATE' | 'DELETE', row: Row, old: Row = {}): void {
    const payload = { schema: 'public', table, eventType, new: row, old, commit_timestamp: new Date().toISOString(), errors: null }
    for (const b of this.bindings) {
      if (b.type !== 'postgres_changes') continue
      const event = b.filter['event']
      if ((b.filter['table'] === table || b.filter['table'] === '*') && (event === '*' || event === eventType)) b.callback(payload)
    }
  }
}

/** A fake client, its channels by name (newest last), and the loads `from()` was asked for. */
export interface FakeRealtime {
  client: SupabaseClient
  channels: Map<string, FakeChannel[]>
  /** The newest channel object of `name`. */
  channel(name: string): FakeChannel
  /** What went out through `realtime.push` (unacknowledged pushes). */
  socketPushes: unknown[]
  /** Whether the socket counts as connected. */
  connected: boolean
  /** Table loads waiting for an answer, oldest first. */
  loads: { table: string; answer: (rows: Row[]) => void }[]
}

export function createFakeRealtime(): FakeRealtime {
  const fake: FakeRealtime = {
    client: null as unknown as SupabaseClient,
    channels: new Map(),
    channel(name) {
      const list = fake.channels.get(name)
      const last = list?.[list.length - 1]
      if (!last) throw new Error(`no channel "${name}" was made`)
      return last
    },
    socketPushes: [],
    connected: true,
    loads: [],
  }
  const from = (table: string) => {
    let answer: (rows: Row[]) => void = () => {}
    const result = new Promise<{ data: Row[]; error: null }>((resolve) => (answer = (rows) => resolve({ data: rows, error: null })))
    const builder: Record<string, unknown> = {}
    for (const method of ['select', 'filter', 'order', 'limit']) builder[method] = () => builder
    builder['abortSignal'] = () => result
    fake.loads.push({ table, answer: (rows) => answer(rows) })
    return builder
  }
  fake.client = {
    channel(name: string, options: { config: Record<string, unknown> }) {
      const channel = new FakeChannel(name, { config: { ...options.config } })
      const list = fake.channels.get(name) ?? []
      list.push(channel)
      fake.channels.set(name, list)
      return channel
    },
    removeChannel(channel: FakeChannel) {
      channel.removed = true
      channel.state = 'closed'
      return Promise.resolve('ok')
    },
    from,
    schema: () => ({ from }),
    auth: { getSession: () => Promise.resolve({ data: { session: null } }) },
    realtime: {
      accessTokenValue: null,
      setAuth: () => Promise.resolve(),
      isConnected: () => fake.connected,
      push: (message: unknown) => void fake.socketPushes.push(message),
    },
  } as unknown as SupabaseClient
  return fake
}
