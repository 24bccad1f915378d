/**
 * The server's deliveries and the plugin's `collections` agree with PostgreSQL for filters with
 * NULLs, like patterns, regular expressions, timestamps with microseconds and `in` lists with NULL,
 * through the real supabase-js client and the plugin on the local server with an embedded
 * PostgreSQL; an upper-case operator is refused the same way by both, with advice.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filterToSql, parseFilter, type FilterCondition } from '../../filter'
import type { RealtimeServer } from '../../server/index'
import { createTestPlugin, type TestPlugin } from '../helpers/plugin-fixture'
import { createTestClient, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'
import { changeKeys, startDatabaseStand, watchChannel, type DatabaseStand, type WatchedChannel } from './db-helpers'

const FILTERS = [
  'note=not.eq.x',
  'status=like.a*%',
  'status=ilike.OPEN%',
  'note=is.null',
  'at=gt.2025-01-01',
  'status=match.^[[:alpha:]]+$',
  'score=in.(1,2,NULL)',
  'score=not.in.(1,NULL)',
  'status=neq.open,note=not.is.null',
  'note=like.%',
  'note=imatch.^[XZ]',
]

/** Statements run one by one; `id` is the row they change. */
const STEPS: Array<{ event: 'INSERT' | 'UPDATE' | 'DELETE'; id: number; sql: string }> = [
  { event: 'INSERT', id: 1, sql: `insert into filter_tickets values (1, 'open', null, 1, '2025-01-01 00:00:00.0005+00')` },
  { event: 'INSERT', id: 2, sql: `insert into filter_tickets values (2, 'a*b', 'x', 2, '2025-01-01 00:00:00+00')` },
  { event: 'INSERT', id: 3, sql: `insert into filter_tickets values (3, 'Open door', 'y', 3, '2024-12-31')` },
  { event: 'INSERT', id: 4, sql: `insert into filter_tickets values (4, 'closed 2', null, null, 'infinity')` },
  { event: 'INSERT', id: 5, sql: `insert into filter_tickets values (5, 'abc', 'z', 1, '-infinity')` },
  { event: 'UPDATE', id: 1, sql: `update filter_tickets set note = 'x' where id = 1` },
  { event: 'UPDATE', id: 3, sql: `update filter_tickets set note = null where id = 3` },
  { event: 'UPDATE', id: 3, sql: `update filter_tickets set status = 'a*c' where id = 3` },
  { event: 'DELETE', id: 2, sql: `delete from filter_tickets where id = 2` },
  { event: 'UPDATE', id: 4, sql: `update filter_tickets set status = 'OPEN', score = 2 where id = 4` },
  { event: 'UPDATE', id: 5, sql: `update filter_tickets set status = 'abc1', at = '2025-01-01 00:00:00.000001+00' where id = 5` },
]

let stand: DatabaseStand
let server: RealtimeServer
let sql: pg.Client
let client: SupabaseClient
let tester: TestPlugin

function conditions(filter: string): FilterCondition[] {
  const parsed = parseFilter(filter)
  if (!parsed.ok) throw parsed.error
  return parsed.conditions
}

/** Which filters PostgreSQL says row `id` matches now. */
async function matchingFilters(id: number): Promise<boolean[]> {
  const params: unknown[] = [id]
  const selects = FILTERS.map((filter, i) => `coalesce(${filterToSql(conditions(filter), params)}, false) as "f${i}"`)
  const { rows } = await sql.query<Record<string, boolean>>(`select ${selects.join(', ')} from filter_tickets where id = $1`, params)
  return FILTERS.map((_, i) => rows[0]?.[`f${i}`] === true)
}

beforeAll(async () => {
  stand = await startDatabaseStand({ server: { limits: UNTHROTTLED_LIMITS }, sqlOptions: '-c timezone=UTC' })
  ;({ server, sql } = stand)
  await sql.query(`
    create table public.filter_tickets (id bigint primary key, status text, note varchar(20), score int, at timestamptz);
    alter table public.filter_tickets replica identity full;
    alter publication supabase_realtime add table public.filter_tickets;
    grant select on public.filter_tickets to anon, authenticated;
  `)
  client = createTestClient(server)
  tester = createTestPlugin(server)
}, 120_000)

afterAll(async () => {
  await tester?.plugin.dispose()
  await client?.removeAllChannels()
  await client?.realtime.disconnect()
  await stand?.stop()
})

describe('filters end to end', () => {
  it('delivers exactly the changes PostgreSQL matches, and the plugin collections hold exactly the matching rows', async () => {
    const watched: WatchedChannel = await watchChannel(client, 'filter-deliveries', {
      bindings: FILTERS.map((filter, i) => ({ label: `f${i}`, event: '*' as const, table: 'filter_tickets', filter })),
    })
    for (const [i, filter] of FILTERS.entries()) {
      await tester.plugin.execute('subscribe', { channel: `filter-collection-${i}`, postgresChanges: [{ event: '*', table: 'filter_tickets', filter }] })
    }

    const expected = FILTERS.map((): string[] => [])
    for (const step of STEPS) {
      const before = step.event === 'DELETE' ? await matchingFilters(step.id) : null
      await sql.query(step.sql)
      const verdicts = before ?? (await matchingFilters(step.id))
      verdicts.forEach((matched, i) => {
        if (matched) expected[i]?.push(`${step.event}:${step.id}`)
      })
    }
    const { rows } = await sql.query<Record<string, unknown>>('select * from filter_tickets order by id')
    const collections: number[][] = []
    for (const filter of FILTERS) {
      const params: unknown[] = []
      const found = await sql.query<{ id: string }>(`select id from filter_tickets where ${filterToSql(conditions(filter), params)} order by id`, params)
      collections.push(found.rows.map((row) => Number(row.id)))
    }
    const collectionOf = (i: number) => (tester.plugin.variables.collections[`filter-collection-${i}`]?.['filter_tickets'] ?? []).map((row) => Number(row['id'])).sort((a, b) => a - b)
    const deliveredOf = (i: number) => changeKeys(watched, `f${i}`)

    await waitFor(
      () => FILTERS.every((_, i) => deliveredOf(i).length >= (expected[i]?.length ?? 0) && JSON.stringify(collectionOf(i)) === JSON.stringify(collections[i])),
      15_000,
      'deliveries and collections',
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    const report = (pick: (i: number) => unknown) => Object.fromEntries(FILTERS.map((filter, i) => [filter, pick(i)]))
    expect(report(deliveredOf)).toEqual(report((i) => expected[i]))
    expect(report(collectionOf)).toEqual(report((i) => collections[i]))
    // The cases this covers: rows updated to NULL leave not.eq and stay out of not.in, * is literal in like, microseconds and infinities count.
    expect(report((i) => collections[i])).toMatchObject({
      'note=not.eq.x': [5],
      'status=like.a*%': [3],
      'at=gt.2025-01-01': [1, 4, 5],
      'score=not.in.(1,NULL)': [],
    })
    expect(rows).toHaveLength(4)
  })

  it('refuses an upper-case operator on both sides: the plugin with advice, the server as Supabase does', async () => {
    const error = await tester.plugin
      .execute('subscribe', { channel: 'filter-upper', postgresChanges: [{ event: '*', table: 'filter_tickets', filter: 'status=EQ.open' }] })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'postgresChanges[0].filter' })
    expect((error as { fix: string }).fix).toContain('lower case')
    expect((error as Error).message).toContain('status=EQ.open')

    const raw = await watchChannel(client, 'filter-upper-raw', { bindings: [{ label: 'upper', event: '*', table: 'filter_tickets', filter: 'status=EQ.open' }] })
    expect(raw.system).toContainEqual(expect.objectContaining({ extension: 'postgres_changes', status: 'error', message: expect.stringContaining('Error parsing `filter` params: ["EQ", "open"]') }))
  })

  it.each([
    ['status=match.([', 'invalid regular expression for match filter'],
    ['status=is.true', 'is true filter requires a boolean column, got text'],
    ['score=like.1%', 'operator like requires a text-compatible column type, got integer'],
    ['score=isdistinct.null', 'invalid input syntax for type integer: "null"'],
    ['score=in.(1,x)', 'invalid input syntax for type integer: "x"'],
  ])('refuses %s when subscribing, as Supabase does, instead of failing on every change', async (filter, reason) => {
    const raw = await watchChannel(client, `filter-refused-${filter}`, { bindings: [{ label: 'bad', event: '*', table: 'filter_tickets', filter }] })
    expect(raw.system).toContainEqual(expect.objectContaining({ extension: 'postgres_changes', status: 'error', message: expect.stringContaining(reason) }))
  })
})
