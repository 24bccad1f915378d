/**
 * The upstream `phoenix` JavaScript client (an implementation independent of supabase-js) against
 * the local Realtime server: vsn 2.0.0 text frames, join, push with reply, fan-out, presence sync
 * and leave.
 */
import { createRequire } from 'node:module'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startRealtimeServer } from '../../server/index'
import { waitUntil } from '../helpers/raw-socket'

type Server = Awaited<ReturnType<typeof startRealtimeServer>>

/** The subset of the untyped `phoenix` client these tests use. */
interface PhoenixPush {
  receive(status: string, callback: (response: unknown) => void): PhoenixPush
}
interface PhoenixChannel {
  join(): PhoenixPush
  leave(): PhoenixPush
  push(event: string, payload: unknown): PhoenixPush
  on(event: string, callback: (payload: unknown) => void): number
  onClose(callback: () => void): void
  state: string
}
interface PhoenixSocket {
  connect(): void
  disconnect(callback?: () => void): void
  channel(topic: string, params?: Record<string, unknown>): PhoenixChannel
  isConnected(): boolean
}
interface PhoenixPresence {
  onSync(callback: () => void): void
  list<T>(by?: (key: string, presence: { metas: Array<Record<string, unknown>> }) => T): T[]
}
interface PhoenixModule {
  Socket: new (endPoint: string, opts: Record<string, unknown>) => PhoenixSocket
  Presence: new (channel: PhoenixChannel) => PhoenixPresence
}

const load = createRequire(import.meta.url)
const { Socket, Presence } = load('phoenix') as PhoenixModule

let server: Server
const sockets: PhoenixSocket[] = []

function connect(): PhoenixSocket {
  const url = new URL('/socket', server.url)
  url.protocol = 'ws:'
  const socket = new Socket(url.toString(), { transport: WebSocket, params: { apikey: server.anonKey }, heartbeatIntervalMs: 500 })
  socket.connect()
  sockets.push(socket)
  return socket
}

function joined(channel: PhoenixChannel): Promise<unknown> {
  return new Promise((resolve, reject) => {
    channel
      .join()
      .receive('ok', resolve)
      .receive('error', (response) => reject(new Error(`join failed: ${JSON.stringify(response)}`)))
      .receive('timeout', () => reject(new Error('join timed out')))
  })
}

function pushed(channel: PhoenixChannel, event: string, payload: unknown): Promise<{ status: string; response: unknown }> {
  return new Promise((resolve) => {
    channel
      .push(event, payload)
      .receive('ok', (response) => resolve({ status: 'ok', response }))
      .receive('error', (response) => resolve({ status: 'error', response }))
      .receive('timeout', () => resolve({ status: 'timeout', response: null }))
  })
}

beforeAll(async () => {
  server = await startRealtimeServer({ port: 0, database: false, connectErrorBackoffMs: 0, channelErrorBackoffMs: 0 })
})

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect()
})

afterAll(async () => {
  await server.stop()
})

describe('upstream phoenix client', () => {
  it('joins, gets acks, and receives fan-out broadcasts', async () => {
    const a = connect().channel('realtime:phx-room', { config: { broadcast: { ack: true } } })
    const b = connect().channel('realtime:phx-room', { config: {} })
    const got: unknown[] = []
    b.on('broadcast', (payload) => got.push(payload))
    expect(await joined(a)).toEqual({ postgres_changes: [] })
    await joined(b)

    expect(await pushed(a, 'broadcast', { type: 'broadcast', event: 'hello', payload: { n: 1 } })).toEqual({ status: 'ok', response: {} })
    await waitUntil(() => got.length === 1)
    expect(got).toEqual([{ type: 'broadcast', event: 'hello', payload: { n: 1 } }])
  })

  it('syncs presence with the upstream Presence class', async () => {
    const a = connect().channel('realtime:phx-presence', { config: { presence: { key: 'ada' } } })
    const b = connect().channel('realtime:phx-presence', { config: { presence: { key: 'bob', enabled: true } } })
    const presence = new Presence(b)
    let synced: string[] = []
    presence.onSync(() => {
      synced = presence.list((key, { metas }) => `${key}:${String(metas[0]?.name)}`)
    })
    await joined(a)
    await joined(b)
    expect(await pushed(a, 'presence', { type: 'presence', event: 'track', payload: { name: 'Ada' } })).toEqual({ status: 'ok', response: {} })
    await waitUntil(() => synced.includes('ada:Ada'), { message: () => `presence list ${JSON.stringify(synced)}` })

    let closed = false
    a.onClose(() => {
      closed = true
    })
    await new Promise<void>((resolve) => {
      a.leave().receive('ok', () => resolve())
    })
    await waitUntil(() => closed && !synced.includes('ada:Ada'), { message: () => `ada's leave, list ${JSON.stringify(synced)}` })
  })

  it('reports join errors with the reference reason', async () => {
    const channel = connect().channel('realtime:', {})
    await expect(joined(channel)).rejects.toThrow('TopicNameRequired: You must provide a topic name')
  })
})
