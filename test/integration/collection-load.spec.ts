/**
 * Subscribe with `load`: the collection starts with the rows that exist (through the plugin's own
 * supabase-js client, so the filter and RLS apply), then follows changes with no gap; while a writer
 * inserts, updates and deletes as fast as it can during the load, the collection ends equal to
 * `SELECT … WHERE filter` in PostgreSQL, run after run with different timings.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunningDatabase } from '../../server/db/start-database'
import type { RealtimeServer } from '../../server/index'
import type { CollectionStatus } from '../../src/core/types'
import { startFaultProxy } from '../helpers/fault-proxy'
import { createTestPluginPool, type TestPlugin, type TestPluginOptions } from '../helpers/plugin-fixture'
import { waitFor } from '../helpers/server-fixture'
import { startDatabaseStand, userJwt, type DatabaseStand } from './db-helpers'

let stand: DatabaseStand
let db: RunningDatabase
let server: RealtimeServer
let sql: pg.Client
const plugins = createTestPluginPool()
const owner = randomUUID()

const plugin = (options?: TestPluginOptions): TestPlugin => plugins.create(server, options)

type Item = { id: number; grp: number; n: number; label: string }

const collection = (t: TestPlugin, channel: string, table: string): Item[] =>
  ((t.plugin.variables.collections[channel]?.[table] ?? []) as unknown as Item[]).map((row) => ({ id: row.id, grp: row.grp, n: row.n, label: row.label }))
const sorted = (rows: Item[]): Item[] => [...rows].sort((a, b) => a.id - b.id)
const status = (t: TestPlugin, channel: string, table: string): CollectionStatus | undefined =>
  t.plugin.variables.channels[channel]?.collections?.[table] as CollectionStatus | undefined

async function selectItems(table: string, where = 'true'): Promise<Item[]> {
  const { rows } = await sql.query<Item>(`select id::int as id, grp, n, label from public.${table} where ${where} order by id`)
  return rows
}

beforeAll(async () => {
  stand = await startDatabaseStand({ server: { limits: { maxEventsPerSecond: 1_000_000, maxJoinsPerSecond: 10_000 } } })
  ;({ db, server, sql } = stand)
  await sql.query(`
    create table public.items (id bigint primary key, grp int not null, n int not null default 0, label text);
    insert into public.items (id, grp, n, label) select g, g % 3, 0, 'item ' || g from generate_series(1, 30) g;
    create table public.private_notes (id bigint primary key, owner uuid not null, grp int not null default 0, n int not null default 0, label text);
    alter table public.private_notes enable row level security;
    create policy "own notes" on public.private_notes for select to authenticated using (owner = auth.uid());
    insert into public.private_notes (id, owner, label) values (1, '${owner}', 'mine'), (2, gen_random_uuid(), 'theirs');
    alter publication supabase_realtime add table public.items, public.private_notes;
  `)
}, 120_000)

afterEach(() => plugins.disposeAll())

afterAll(async () => {
  await stand?.stop()
})

describe('collections with load', () => {
  it('start with the rows that exist (filtered, ordered, limited) and report their status', async () => {
    const t = plugin()
    await t.plugin.execute('subscribe', {
      channel: 'load-basic',
      postgresChanges: [{ table: 'items', filter: 'grp=eq.1', load: true }],
    })
    expect(sorted(collection(t, 'load-basic', 'items'))).toEqual(await selectItems('items', 'grp = 1'))
    expect(status(t, 'load-basic', 'items')).toMatchObject({ loading: false, error: null, truncated: false, loadedAt: expect.any(Number) as number })

    const limited = plugin()
    await limited.plugin.execute('subscribe', {
      channel: 'load-limited',
      postgresChanges: [{ table: 'items', load: true, limit: 5, orderBy: 'id.desc' }],
    })
    expect(collection(limited, 'load-limited', 'items').map((row) => row.id)).toEqual([30, 29, 28, 27, 26])
    expect(status(limited, 'load-limited', 'items')?.truncated).toBe(true)

    await sql.query(`insert into public.items (id, grp, label) values (100, 1, 'after')`)
    await waitFor(() => collection(t, 'load-basic', 'items').some((row) => row.id === 100), 5000, 'the row inserted after the load')
  })

  it('follows the load setting of a Subscribe run again with the same bindings', async () => {
    const t = plugin()
    const channel = 'load-later'
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ table: 'items', filter: 'grp=eq.2' }] })
    expect(collection(t, channel, 'items')).toEqual([])
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ table: 'items', filter: 'grp=eq.2', load: true }] })
    expect(sorted(collection(t, channel, 'items'))).toEqual(await selectItems('items', 'grp = 2'))
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ table: 'items', filter: 'grp=eq.2', load: true, limit: 2, orderBy: 'id' }] })
    expect(collection(t, channel, 'items')).toEqual((await selectItems('items', 'grp = 2')).slice(0, 2))
    expect(status(t, channel, 'items')?.truncated).toBe(true)
  })

  it('loads the rows of a like filter with a literal star as the Realtime filter reads it', async () => {
    await sql.query(`create table public.starred (id bigint primary key, grp int not null default 0, n int not null default 0, label text);
      insert into public.starred (id, label) values (1, 'a*b'), (2, 'abc'), (3, 'A*C'), (4, 'b*');
      alter publication supabase_realtime add table public.starred`)
    const t = plugin()
    await t.plugin.execute('subscribe', { channel: 'load-star', postgresChanges: [{ table: 'starred', filter: 'label=like.a*%', load: true }] })
    await t.plugin.execute('subscribe', { channel: 'load-star-i', postgresChanges: [{ table: 'starred', filter: 'label=ilike.%*c', load: true }] })
    expect(sorted(collection(t, 'load-star', 'starred'))).toEqual(await selectItems('starred', `label like 'a*%'`))
    expect(sorted(collection(t, 'load-star-i', 'starred'))).toEqual(await selectItems('starred', `label ilike '%*c'`))
  })

  it('follows the new filter when the channel is subscribed again with another one', async () => {
    await sql.query(`create table public.refiltered (id bigint primary key, grp int not null, n int not null default 0, label text);
      insert into public.refiltered (id, grp, label) values (1, 1, 'one'), (2, 2, 'two');
      alter table public.refiltered replica identity full;
      alter publication supabase_realtime add table public.refiltered`)
    const t = plugin()
    const channel = 'load-refilter'
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ table: 'refiltered', filter: 'grp=eq.1', load: true }] })
    expect(collection(t, channel, 'refiltered').map((row) => row.id)).toEqual([1])
    await t.plugin.execute('subscribe', { channel, postgresChanges: [{ table: 'refiltered', filter: 'grp=eq.2', load: true }] })
    expect(collection(t, channel, 'refiltered').map((row) => row.id)).toEqual([2])
    await sql.query(`insert into public.refiltered (id, grp, label) values (3, 2, 'three'), (4, 1, 'four')`)
    await waitFor(() => collection(t, channel, 'refiltered').some((row) => row.id === 3), 5000, 'the new row of the new filter')
    await sql.query(`update public.refiltered set label = 'two again' where id = 2`)
    await waitFor(() => collection(t, channel, 'refiltered').find((row) => row.id === 2)?.label === 'two again', 5000, 'the update')
    expect(sorted(collection(t, channel, 'refiltered'))).toEqual(await selectItems('refiltered', 'grp = 2'))
  })

  it('loads as the signed-in user: RLS decides which rows', async () => {
    const token = userJwt(server.jwtSecret, owner)
    const t = plugin({ accessToken: () => Promise.resolve(token) })
    await t.plugin.execute('subscribe', { channel: 'load-rls', postgresChanges: [{ table: 'private_notes', load: true }] })
    expect(collection(t, 'load-rls', 'private_notes').map((row) => row.label)).toEqual(['mine'])
    const anonymous = plugin()
    await anonymous.plugin.execute('subscribe', { channel: 'load-rls-anon', postgresChanges: [{ table: 'private_notes', load: true }] })
    expect(collection(anonymous, 'load-rls-anon', 'private_notes')).toEqual([])
  })

  it('reports a load that fails, and keeps following changes', async () => {
    await sql.query(`create table public.locked (id bigint primary key, grp int, n int, label text); revoke all on public.locked from anon; alter publication supabase_realtime add table public.locked`)
    const t = plugin()
    await t.plugin.execute('subscribe', { channel: 'load-denied', postgresChanges: [{ table: 'locked', load: true }] })
    expect(status(t, 'load-denied', 'locked')?.error).toMatchObject({ code: 'LOAD_FAILED' })
    expect(status(t, 'load-denied', 'locked')?.error?.message).toContain('permission denied for table locked')
  })

  it('loads again after a gap: changes made while the link was down are in the collection, and stale clears', async () => {
    await sql.query(`
      create table public.gap_items (id bigint primary key, grp int not null default 1, n int not null default 0, label text);
      insert into public.gap_items (id, label) select g, 'g' || g from generate_series(1, 10) g;
      alter publication supabase_realtime add table public.gap_items;`)
    const proxy = await startFaultProxy(server.url)
    try {
      const t = plugins.create({ url: proxy.url, anonKey: server.anonKey }, { heartbeatIntervalMs: 300, wakeEvents: null })
      await t.plugin.execute('subscribe', { channel: 'load-gap', postgresChanges: [{ table: 'gap_items', load: true }] })
      expect(collection(t, 'load-gap', 'gap_items')).toHaveLength(10)
      const firstLoad = status(t, 'load-gap', 'gap_items')?.loadedAt ?? 0
      proxy.refuse()
      await waitFor(() => t.plugin.variables.channels['load-gap']?.status === 'CHANNEL_ERROR', 5000, 'the channel notices the loss')
      await sql.query(`insert into public.gap_items (id, label) values (11, 'while down'); delete from public.gap_items where id = 2; update public.gap_items set n = 5 where id = 3`)
      proxy.restore()
      await waitFor(() => t.plugin.variables.channels['load-gap']?.resumed === true, 10_000, 'rejoined')
      await waitFor(() => (status(t, 'load-gap', 'gap_items')?.loadedAt ?? 0) > firstLoad && t.plugin.variables.channels['load-gap']?.stale === false, 10_000, 'reloaded')
      expect(sorted(collection(t, 'load-gap', 'gap_items'))).toEqual(await selectItems('gap_items'))
    } finally {
      await proxy.close()
    }
  })

  it('ends equal to SELECT … WHERE filter while a writer inserts, updates and deletes during the load (many timings)', async () => {
    const runs = 8
    for (let run = 0; run < runs; run++) {
      const table = `race_${run}`
      await sql.query(`
        create table public.${table} (id bigint primary key, grp int not null, n int not null default 0, label text);
        insert into public.${table} (id, grp, n, label) select g, g % 2, 0, 'r' || g from generate_series(1, 300) g;
        alter publication supabase_realtime add table public.${table};`)
      const writers = Array.from({ length: 3 }, () => new pg.Client({ connectionString: db.url }))
      await Promise.all(writers.map((writer) => writer.connect()))
      let writing = true
      let nextId = 1000 * (run + 1)
      let operations = 0
      const write = async (writer: pg.Client, seed: number): Promise<void> => {
        let i = seed
        while (writing) {
          i++
          const id = 1 + ((i * 7919 + run * 131) % 400)
          const kind = i % 5
          if (kind === 0) await writer.query(`insert into public.${table} (id, grp, label) values ($1, $2, 'new') on conflict (id) do nothing`, [++nextId, i % 2])
          else if (kind === 1) await writer.query(`delete from public.${table} where id = $1`, [id])
          else if (kind === 2) await writer.query(`update public.${table} set grp = 1 - grp, n = n + 1 where id = $1`, [id])
          else await writer.query(`update public.${table} set n = n + 1, label = 'u' || $2 where id = $1`, [id, i])
          operations++
          // NOTE: some runs pause between writes, so the load falls at different points of the stream.
          if (run % 2 === 1 && i % 20 === 0) await new Promise((r) => setTimeout(r, run))
        }
      }
      const writing$ = writers.map((writer, index) => write(writer, index * 1000))
      await new Promise((r) => setTimeout(r, run * 15))
      const t = plugin()
      await t.plugin.execute('subscribe', { channel: `race-${run}`, postgresChanges: [{ table, filter: 'grp=eq.1', load: true, limit: 5000 }] })
      await new Promise((r) => setTimeout(r, 100 + run * 20))
      writing = false
      await Promise.all(writing$)
      await Promise.all(writers.map((writer) => writer.end()))
      const expected = await selectItems(table, 'grp = 1')
      await waitFor(() => JSON.stringify(sorted(collection(t, `race-${run}`, table))) === JSON.stringify(expected), 10_000, `run ${run}: collection equal to SELECT`).catch(() => undefined)
      expect({ run, operations: operations > 50, rows: sorted(collection(t, `race-${run}`, table)) }).toEqual({ run, operations: true, rows: expected })
      await t.plugin.dispose()
    }
  })
})
