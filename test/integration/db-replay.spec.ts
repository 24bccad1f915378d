/**
 * Broadcast replay (`config.broadcast.replay`) through the real supabase-js client on the embedded
 * database, checked against Supabase Realtime's rules: private channels only, read permission,
 * integer `since`/`limit` (defaults 0 and 10, limit clamped to 1..25), only private `broadcast`
 * messages inserted at or after `since`, oldest first, `meta: { replayed: true, id }`, and no
 * live copy of a replayed message.
 */
import { randomUUID } from 'node:crypto'
import type { SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import { createTestClient, waitFor } from '../helpers/server-fixture'
import { startDatabaseStand, userJwt, watchChannel, type DatabaseStand, type WatchedChannel } from './db-helpers'

let stand: DatabaseStand
let server: RealtimeServer
let sql: pg.Client
const clients: SupabaseClient[] = []
let topicCounter = 0

function topic(prefix: string): string {
  topicCounter += 1
  return `${prefix}-${topicCounter}`
}

async function userClient(): Promise<SupabaseClient> {
  const created = createTestClient(server, { realtime: { heartbeatIntervalMs: 120_000 } })
  clients.push(created)
  await created.realtime.setAuth(userJwt(server.jwtSecret, randomUUID()))
  return created
}

/** `realtime.send` of `{ n }` to `name`; returns the message id. */
async function send(name: string, n: number, isPrivate = true): Promise<string> {
  await sql.query(`select realtime.send(jsonb_build_object('n', $1::int), 'note', $2, $3)`, [n, name, isPrivate])
  const { rows } = await sql.query<{ id: string }>(`select id::text from realtime.messages where topic = $1 and payload->>'n' = $2`, [name, String(n)])
  return rows[0]?.id ?? ''
}

async function replayJoin(name: string, replay: unknown, isPrivate = true): Promise<WatchedChannel> {
  return watchChannel(await userClient(), name, {
    bindings: [],
    config: { config: { private: isPrivate, broadcast: { replay } } } as never,
    until: 'none',
  })
}

const numbers = (watched: WatchedChannel): number[] => watched.broadcasts.map((b) => (b.payload as { n: number }).n)

beforeAll(async () => {
  stand = await startDatabaseStand()
  ;({ server, sql } = stand)
  await sql.query(`
    create policy "read replay topics" on realtime.messages for select to authenticated
      using (realtime.topic() like 'rp-%' and extension in ('broadcast', 'presence'));
    create policy "presence only" on realtime.messages for select to authenticated
      using (realtime.topic() like 'presence-only-%' and extension = 'presence');
  `)
})

afterAll(async () => {
  await Promise.all(clients.map((c) => c.removeAllChannels()))
  await stand?.stop()
})

describe('broadcast replay', () => {
  it('replays the last `limit` private broadcasts since a time, oldest first, with meta { replayed, id }', async () => {
    const name = topic('rp-order')
    await sql.query(`insert into realtime.messages (topic, extension, private, payload, event, inserted_at)
      values ($1, 'broadcast', true, '{"n":0}', 'note', now() - interval '1 hour')`, [name])
    const since = Date.now() - 60_000
    const ids: string[] = []
    for (const n of [1, 2, 3, 4]) ids.push(await send(name, n))
    // Not replayed: a public message, and a presence message, on the same topic.
    await send(name, 90, false)
    await sql.query(`insert into realtime.messages (topic, extension, private, payload, event) values ($1, 'presence', true, '{"n":91}', 'x')`, [name])

    const watched = await replayJoin(name, { since, limit: 3 })
    await waitFor(() => watched.statuses.includes('SUBSCRIBED') && watched.broadcasts.length >= 3)
    await new Promise((r) => setTimeout(r, 150))
    expect(numbers(watched)).toEqual([2, 3, 4])
    expect(watched.broadcasts.map((b) => b.meta)).toEqual(ids.slice(1).map((id) => ({ replayed: true, id })))
    expect(watched.broadcasts[0]).toMatchObject({ event: 'note', payload: { n: 2, id: ids[1] } })
  })

  it('defaults: since 0 (everything kept) and limit 10; limits above 25 give 25, 0 gives 1', async () => {
    const name = topic('rp-defaults')
    for (let n = 1; n <= 30; n++) await send(name, n)
    const noLimit = await replayJoin(name, {})
    await waitFor(() => noLimit.broadcasts.length >= 10)
    const big = await replayJoin(name, { since: 0, limit: 1000 })
    await waitFor(() => big.broadcasts.length >= 25)
    const zero = await replayJoin(name, { since: 0, limit: 0 })
    await waitFor(() => zero.broadcasts.length >= 1)
    await new Promise((r) => setTimeout(r, 150))
    expect(numbers(noLimit)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30])
    expect(numbers(big)).toEqual(Array.from({ length: 25 }, (_, i) => i + 6))
    expect(numbers(zero)).toEqual([30])
  })

  it('does not deliver the live copy of a message it replayed, and delivers later ones once', async () => {
    const name = topic('rp-live')
    await send(name, 1)
    const watched = await replayJoin(name, { since: Date.now() - 60_000 })
    await waitFor(() => watched.statuses.includes('SUBSCRIBED') && watched.broadcasts.length >= 1)
    await send(name, 2)
    await waitFor(() => watched.broadcasts.length >= 2)
    await new Promise((r) => setTimeout(r, 150))
    expect(numbers(watched)).toEqual([1, 2])
    expect(watched.broadcasts[1]?.meta).toEqual({ id: expect.any(String) as string })
  })

  it('a replay that is not an object on a private channel is ignored', async () => {
    const name = topic('rp-null')
    await send(name, 1)
    const watched = await replayJoin(name, null)
    await waitFor(() => watched.statuses.includes('SUBSCRIBED'))
    await new Promise((r) => setTimeout(r, 150))
    expect(watched.broadcasts).toEqual([])
  })

  it.each([
    ['a string since', { since: 'yesterday' }],
    ['a fractional since', { since: 1.5 }],
    ['a string limit', { since: 0, limit: '5' }],
    ['a fractional limit', { limit: 2.5 }],
    ['a since beyond year 9999', { since: 1e15 }],
  ])('refuses %s with "Replay params are not valid"', async (_label, replay) => {
    const watched = await replayJoin(topic('rp-bad'), replay)
    await waitFor(() => watched.errors.length > 0)
    expect(watched.errors[0]).toContain('UnableToReplayMessages: Replay params are not valid')
  })

  it('refuses replay on a public channel, even with an empty value', async () => {
    const watched = await replayJoin(topic('rp-public'), null, false)
    await waitFor(() => watched.errors.length > 0)
    expect(watched.errors[0]).toContain('UnableToReplayMessages: Replay is not allowed for public channels')
  })

  it('refuses replay without broadcast read permission before looking at the params', async () => {
    const name = topic('presence-only')
    const watched = await watchChannel(await userClient(), name, {
      bindings: [],
      config: { config: { private: true, presence: { enabled: true }, broadcast: { replay: { since: 'bad' } } } } as never,
      until: 'none',
    })
    await waitFor(() => watched.errors.length > 0)
    expect(watched.errors[0]).toContain(`Unauthorized: You do not have permissions to read from this Channel topic: ${name}`)
  })
})
