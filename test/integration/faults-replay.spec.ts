/**
 * Replay fills gaps on private channels: messages the database sent (`realtime.send`) while a
 * subscriber was cut off reach it exactly once, in order, after it comes back. Real embedded
 * PostgreSQL, real server, real supabase-js through a TCP fault proxy.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy'
import { createTestPluginPool, type TestPlugin } from '../helpers/plugin-fixture'
import { createMemoryHost } from '../../src/host/memory-host'
import { RealtimeRuntime, type ChannelGap } from '../../src/runtime/realtime-runtime'
import { createRealtimeState } from '../../src/store/realtime-state'
import { toChannelConfig } from '../../actions/subscribe-to-channel'
import { createTestClient, waitFor } from '../helpers/server-fixture'
import { startDatabaseStand, userJwt, type DatabaseStand } from './db-helpers'

let stand: DatabaseStand
let server: RealtimeServer
let proxy: FaultProxy
let sql: pg.Client
const plugins = createTestPluginPool()

beforeAll(async () => {
  stand = await startDatabaseStand()
  ;({ server, sql } = stand)
  proxy = await startFaultProxy(server.url)
  await sql.query(`
    create policy "members read fault rooms" on realtime.messages for select to authenticated
      using (realtime.topic() like 'fault-%' and extension in ('broadcast', 'presence'));
    create table public.fault_items (id bigint primary key, body text);
    alter publication supabase_realtime add table public.fault_items;
    grant select on public.fault_items to anon, authenticated;
  `)
})

afterAll(async () => {
  await plugins.disposeAll()
  await proxy?.close()
  await stand?.stop()
})

const send = (topic: string, n: number) => sql.query(`select realtime.send(jsonb_build_object('n', $1::int), 'note', $2, true)`, [n, topic])
const numbers = (t: TestPlugin, channel: string) => (t.plugin.variables.messages[channel] ?? []).map((m) => (m.payload as { n: number }).n)

describe('replay on private channels', () => {
  it('delivers what realtime.send stored while the subscriber was cut off, once and in order', async () => {
    const token = userJwt(server.jwtSecret, randomUUID())
    const t = plugins.create({ url: proxy.url, anonKey: server.anonKey }, { heartbeatIntervalMs: 300, wakeEvents: null, accessToken: () => Promise.resolve(token) })
    const channel = 'fault-replay'
    await t.plugin.execute('subscribe', { channel, private: true })
    await send(channel, 1)
    await send(channel, 2)
    await waitFor(() => numbers(t, channel).length === 2, 10_000, 'two live messages')

    proxy.refuse()
    await waitFor(() => t.plugin.variables.channels[channel]?.status !== 'SUBSCRIBED', 3000, 'cut off')
    for (const n of [3, 4, 5]) await send(channel, n)
    await new Promise((r) => setTimeout(r, 300))
    expect(numbers(t, channel)).toEqual([1, 2])
    proxy.restore()

    await waitFor(() => t.plugin.variables.channels[channel]?.status === 'SUBSCRIBED', 15_000, 'rejoined')
    expect(t.plugin.variables.channels[channel]?.resumed).toBe(true)
    await waitFor(() => numbers(t, channel).length >= 5, 5000, 'the missed messages')
    await send(channel, 6)
    await waitFor(() => numbers(t, channel).includes(6), 5000, 'a live message after the gap')
    await new Promise((r) => setTimeout(r, 300))
    // 1 and 2 fall inside the replay window too: they are dropped by id.
    expect(numbers(t, channel)).toEqual([1, 2, 3, 4, 5, 6])
    const ids = (t.plugin.variables.messages[channel] ?? []).map((m) => m.id)
    expect(new Set(ids).size).toBe(6)
  })
})

describe('collections after a gap', () => {
  it('marks a database-fed channel stale after a rejoin and tells the gap listener, which reloads and clears it', async () => {
    const client = createTestClient({ url: proxy.url, anonKey: server.anonKey })
    const state = createRealtimeState(200)
    const runtime = new RealtimeRuntime({ client, host: createMemoryHost(), state, instanceId: 'gap', heartbeatIntervalMs: 300, wakeEvents: null })
    const channel = 'fault-items'
    const gaps: ChannelGap[] = []
    runtime.onGap((gap) => {
      gaps.push(gap)
      // What a collection loader does: read the current rows, then clear the flag.
      void sql.query('select count(*) from public.fault_items').then(() => runtime.markCollectionsFresh(channel))
    })
    try {
      await runtime.subscribe(toChannelConfig({ channel, postgresChanges: [{ event: '*', table: 'fault_items' }] }))
      expect(state.channels.value[channel]).toMatchObject({ status: 'SUBSCRIBED', stale: false, resumed: false })
      proxy.cut()
      await waitFor(() => state.channels.value[channel]?.status === 'CHANNEL_ERROR', 3000, 'cut off')
      await waitFor(() => state.channels.value[channel]?.status === 'SUBSCRIBED', 10_000, 'rejoined')
      expect(state.channels.value[channel]).toMatchObject({ resumed: true })
      expect(gaps).toHaveLength(1)
      expect(gaps[0]).toMatchObject({ channel, tables: ['fault_items'] })
      expect(gaps[0]?.downtimeMs).toBeGreaterThan(0)
      await waitFor(() => state.channels.value[channel]?.stale === false, 3000, 'fresh again after the reload')
    } finally {
      await runtime.dispose()
      await client.removeAllChannels()
    }
  })
})
