/**
 * Postgres changes, live collections and private channels through the plugin, on the local
 * server with an embedded PostgreSQL and the real supabase-js client.
 */
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { createTestPluginPool, type TestPlugin, type TestPluginOptions } from '../helpers/plugin-fixture'
import { createTestClient, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'
import { startDatabaseStand, userJwt, type DatabaseStand } from './db-helpers'

let stand: DatabaseStand
let server: RealtimeServer
let sql: pg.Client
const plugins = createTestPluginPool()
const plugin = (options?: TestPluginOptions): TestPlugin => plugins.create(server, options)

const userToken = (sub: string): string => userJwt(server.jwtSecret, sub)

beforeAll(async () => {
  stand = await startDatabaseStand({ server: { limits: UNTHROTTLED_LIMITS } })
  ;({ server, sql } = stand)
  await sql.query(`
    create table public.tickets (id bigint primary key, room int not null, status text not null, body text);
    alter table public.tickets replica identity full;
    create table public.notes (id bigint primary key, body text);
    alter publication supabase_realtime add table public.tickets, public.notes;
    grant select on public.tickets, public.notes to anon, authenticated;
    create policy "agents read support rooms" on realtime.messages for select to authenticated
      using (realtime.topic() like 'support-%' and extension in ('broadcast', 'presence'));
    create policy "agents write support rooms" on realtime.messages for insert to authenticated
      with check (realtime.topic() like 'support-%');
    create policy "everyone reads announcements" on realtime.messages for select to authenticated
      using (realtime.topic() like 'announce-%' and extension in ('broadcast', 'presence'));
  `)
}, 120_000)

afterEach(() => plugins.disposeAll())

afterAll(async () => {
  await stand?.stop()
})

const rowsOf = (t: TestPlugin, channel: string, table: string) => (t.plugin.variables.collections[channel]?.[table] ?? []).map((r) => ({ ...r }))

describe('postgres changes', () => {
  it('resolves Subscribe only once the database subscription is live, then keeps a filtered collection', async () => {
    const t = plugin()
    const channel = 'tickets-room-1'
    await expect(
      t.plugin.execute('subscribe', { channel, postgresChanges: [{ event: '*', schema: 'public', table: 'tickets', filter: 'room=eq.1' }] }),
    ).resolves.toEqual({ channel, status: 'SUBSCRIBED' })
    expect(t.plugin.variables.channels[channel]).toMatchObject({ status: 'SUBSCRIBED', dbReady: true, bindings: 1 })

    const inserts: unknown[] = []
    t.host.on('postgres-changes', { channel, table: 'tickets', event: 'INSERT' }, (event) => inserts.push(event.new))

    await sql.query(`insert into public.tickets values (1, 1, 'open', 'late order'), (2, 2, 'open', 'other room'), (3, 1, 'open', 'refund')`)
    await waitFor(() => rowsOf(t, channel, 'tickets').length === 2, 10_000, 'two room-1 rows')
    expect(rowsOf(t, channel, 'tickets').map((r) => r['id'])).toEqual([1, 3])
    expect(inserts).toHaveLength(2)

    await sql.query(`update public.tickets set status = 'closed' where id = 1`)
    await waitFor(() => rowsOf(t, channel, 'tickets')[0]?.['status'] === 'closed', 10_000, 'row 1 updated')

    // Row 3 moves to room 2: the filtered binding never sees it, the collection still drops it.
    await sql.query(`update public.tickets set room = 2 where id = 3`)
    await waitFor(() => rowsOf(t, channel, 'tickets').length === 1, 10_000, 'row 3 dropped')

    await sql.query(`delete from public.tickets where id = 1`)
    await waitFor(() => rowsOf(t, channel, 'tickets').length === 0, 10_000, 'row 1 deleted')

    const events = (t.plugin.variables.changes[channel] ?? []).map((c) => `${c.event}:${String((c.event === 'DELETE' ? c.old : c.new)['id'])}`)
    expect(events).toEqual(['INSERT:1', 'INSERT:3', 'UPDATE:1', 'DELETE:1'])
    expect(t.host.eventsOf('postgres-changes')).toHaveLength(4)
    await sql.query('delete from public.tickets')
  })

  it('listens to several tables and broadcast on one channel; a double subscribe delivers each change once', async () => {
    const t = plugin()
    const channel = 'multi'
    const input = {
      channel,
      postgresChanges: [
        { event: 'INSERT' as const, table: 'tickets' },
        { event: 'INSERT' as const, table: 'notes' },
      ],
    }
    await t.plugin.execute('subscribe', input)
    await t.plugin.execute('subscribe', input)
    await sql.query(`insert into public.tickets values (10, 5, 'open', 'a'); insert into public.notes values (1, 'n')`)
    await waitFor(() => (t.plugin.variables.changes[channel]?.length ?? 0) >= 2, 10_000, 'two changes')
    await t.plugin.execute('broadcast', { channel, event: 'ping', payload: {} })
    await new Promise((r) => setTimeout(r, 300))
    expect(t.plugin.variables.changes[channel]?.map((c) => c.table)).toEqual(['tickets', 'notes'])
    expect(Object.keys(t.plugin.variables.collections[channel] ?? {}).sort()).toEqual(['notes', 'tickets'])
    await sql.query('delete from public.tickets; delete from public.notes')
  })

  it('reports a row change once when several bindings of the channel match it', async () => {
    const t = plugin()
    const channel = 'overlap'
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ event: '*', table: 'notes' }, { event: 'INSERT', table: 'notes' }] })
    await sql.query(`insert into public.notes values (30, 'once')`)
    await waitFor(() => (t.plugin.variables.changes[channel]?.length ?? 0) >= 1, 10_000, 'one change')
    await new Promise((r) => setTimeout(r, 300))
    expect(t.plugin.variables.changes[channel]).toHaveLength(1)
    expect(t.host.eventsOf('postgres-changes')).toHaveLength(1)
    await sql.query('delete from public.notes')
  })

  it('replaces the bindings when subscribed again with another table: the old binding stops, the new one works', async () => {
    const t = plugin()
    const channel = 'switching'
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ event: 'INSERT', table: 'tickets' }] })
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ event: 'INSERT', table: 'notes' }] })
    await sql.query(`insert into public.tickets values (20, 1, 'open', 'x'); insert into public.notes values (2, 'y')`)
    await waitFor(() => (t.plugin.variables.changes[channel]?.length ?? 0) >= 1, 10_000, 'one change')
    await new Promise((r) => setTimeout(r, 300))
    expect(t.plugin.variables.changes[channel]?.map((c) => c.table)).toEqual(['notes'])
    await sql.query('delete from public.tickets; delete from public.notes')
  })

  it('rejects Subscribe with DATABASE_SUBSCRIBE_FAILED and the server reason for a table without Realtime', async () => {
    const t = plugin()
    const error = await t.plugin.execute('subscribe', { channel: 'missing', postgresChanges: [{ event: '*', table: 'does_not_exist' }], timeoutMs: 15_000 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DATABASE_SUBSCRIBE_FAILED', field: 'postgresChanges' })
    expect((error as Error).message).toContain('does_not_exist')
    expect(t.plugin.variables.channels['missing']?.error?.code).toBe('DATABASE_SUBSCRIBE_FAILED')
  })
})

describe('private channels', () => {
  it('joins with the user token when a policy allows the topic, and broadcasts between members', async () => {
    const agent = plugin({ accessToken: () => Promise.resolve(userToken('agent-1')) })
    const customer = plugin({ accessToken: () => Promise.resolve(userToken('customer-1')) })
    const channel = 'support-42'
    await agent.plugin.execute('subscribe', { channel, private: true })
    await customer.plugin.execute('subscribe', { channel, private: true })
    expect(agent.plugin.variables.channels[channel]).toMatchObject({ status: 'SUBSCRIBED', private: true })
    // Without a presence key, the user id from the token identifies the member.
    expect(agent.plugin.variables.presence[channel]?.self.key).toBe('agent-1')
    await customer.plugin.execute('broadcast', { channel, event: 'message', payload: { text: 'hello' } })
    await waitFor(() => agent.plugin.variables.messages[channel]?.length === 1, 10_000, 'private message')
    expect(agent.plugin.variables.messages[channel]?.[0]?.payload).toEqual({ text: 'hello' })
  })

  it('rejects a broadcast the write policy drops with SEND_TIMED_OUT and advice about the insert policy', async () => {
    const t = plugin({ accessToken: () => Promise.resolve(userToken('reader-1')) })
    const channel = 'announce-1'
    await t.plugin.execute('subscribe', { channel, private: true })
    const error = await t.plugin.execute('broadcast', { channel, event: 'message', payload: { text: 'x' }, timeoutMs: 1000 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SEND_TIMED_OUT' })
    expect((error as { fix: string }).fix).toContain('allows insert')
  })

  it('rejects with PRIVATE_CHANNEL_DENIED and advice about the realtime.messages policy', async () => {
    const t = plugin({ accessToken: () => Promise.resolve(userToken('customer-2')) })
    const error = await t.plugin.execute('subscribe', { channel: 'secret-room', private: true }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'PRIVATE_CHANNEL_DENIED', field: 'private' })
    expect((error as Error).message).toContain('Unauthorized: You do not have permissions to read from this Channel topic: secret-room')
    expect((error as { fix: string }).fix).toContain('realtime.messages')
    expect(t.plugin.variables.channels['secret-room']).toMatchObject({ status: 'CHANNEL_ERROR', error: { code: 'PRIVATE_CHANNEL_DENIED' } })
  })

  it('uses the session token of a shared client, and leaves the shared client connected on dispose', async () => {
    const shared = createTestClient(server, { accessToken: userToken('agent-7') })
    try {
      const appChannel = shared.channel('app-own')
      await new Promise<void>((resolve) => appChannel.subscribe((status) => status === 'SUBSCRIBED' && resolve()))
      const t = plugin({ client: shared })
      await t.plugin.execute('subscribe', { channel: 'support-shared', private: true })
      expect(t.plugin.variables.presence['support-shared']?.self.key).toBe('agent-7')
      await t.plugin.dispose()
      expect(shared.getChannels().map((c) => c.subTopic)).toEqual(['app-own'])
      expect(shared.realtime.isConnected()).toBe(true)
    } finally {
      await shared.removeAllChannels()
      await shared.realtime.disconnect()
    }
  })
})
