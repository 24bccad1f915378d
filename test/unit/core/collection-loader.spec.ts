/**
 * The collection loader's merge of a snapshot with the changes held while it was fetched, and how
 * it asks supabase-js for the rows. A fake query builder stands in for supabase-js (the real stack
 * is covered by test/integration/collection-load.spec.ts).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { describe, expect, it } from 'vitest'
import { parseFilter } from '../../../filter'
import type { PostgresBindingConfig } from '../../../src/core/channel-config'
import { CollectionLoader, parseOrderBy, type CollectionSink } from '../../../src/core/collection-loader'
import { LiveCollection, type CollectionRule, type RowChange } from '../../../src/core/live-collection'
import type { CollectionStatus, Row } from '../../../src/core/types'

interface Call {
  method: string
  args: unknown[]
}

/** A query builder that records its calls and answers when `answer` is called. */
function fakeClient() {
  const calls: Call[] = []
  let answer: (result: { data: Row[] | null; error: { message: string; code: string; hint: string | null; details: string | null } | null }) => void = () => {}
  const result = new Promise<{ data: Row[] | null; error: unknown }>((resolve) => (answer = resolve))
  const builder: Record<string, unknown> = {}
  for (const method of ['from', 'select', 'filter', 'order', 'limit']) {
    builder[method] = (...args: unknown[]) => {
      calls.push({ method, args })
      return builder
    }
  }
  builder.abortSignal = () => result
  return { client: builder as unknown as SupabaseClient, calls, answer: (value: Parameters<typeof answer>[0]) => answer(value) }
}

function binding(filter = ''): PostgresBindingConfig {
  const parsed = parseFilter(filter)
  return {
    event: '*',
    schema: 'public',
    table: 'items',
    filter,
    select: null,
    primaryKey: ['id'],
    conditions: parsed.ok ? parsed.conditions : [],
    load: { limit: 3, orderBy: parseOrderBy('id.desc') },
  }
}

function memorySink(rule: CollectionRule) {
  const collection = new LiveCollection(rule)
  const statuses: CollectionStatus[] = []
  let loader: CollectionLoader | null = null
  const sink: CollectionSink = {
    replace: (_table, rows) => collection.replaceAll(rows),
    apply: (_table, change) => void collection.apply(change),
    maintain: (_table, change) => collection.applyIfKnown(change),
    statusChanged: () => void statuses.push({ ...(loader?.statuses()?.items as CollectionStatus) }),
    rowsChanged: () => {},
  }
  /** The loader under test, writing to this sink. */
  const loaderOf = (client: SupabaseClient) => (loader = new CollectionLoader(client, sink))
  return { collection, statuses, sink, loaderOf }
}

const rule: CollectionRule = { primaryKey: ['id'], filters: [] }
const insert = (row: Row): RowChange => ({ event: 'INSERT', new: row, old: {} })
const update = (row: Row): RowChange => ({ event: 'UPDATE', new: row, old: { id: row.id } })
const remove = (id: number): RowChange => ({ event: 'DELETE', new: {}, old: { id } })

describe('CollectionLoader', () => {
  it('applies the changes held during the fetch on top of the snapshot, in order', async () => {
    const { client, answer } = fakeClient()
    const { collection, statuses, loaderOf } = memorySink(rule)
    const loader = loaderOf(client)
    const loading = loader.load(binding(), { limit: 3, orderBy: null }, () => rule, 5000)
    expect(statuses.at(-1)).toMatchObject({ loading: true })
    // Arrive while the snapshot is being fetched: a newer version of 1, 2 deleted, 3 inserted.
    expect(loader.hold('items', false, update({ id: 1, v: 2 }), rule)).toBe(true)
    expect(loader.hold('items', false, remove(2), rule)).toBe(true)
    expect(loader.hold('items', false, insert({ id: 3, v: 1 }), rule)).toBe(true)
    // The snapshot was taken before those commits: it still has version 1 of row 1 and row 2.
    answer({ data: [{ id: 1, v: 1 }, { id: 2, v: 1 }], error: null })
    const status = await loading
    expect(collection.list()).toEqual([{ id: 1, v: 2 }, { id: 3, v: 1 }])
    expect(status).toMatchObject({ loading: false, error: null, truncated: false, loadedAt: expect.any(Number) as number })
    // Once loaded, changes are applied at once again.
    expect(loader.hold('items', false, insert({ id: 4 }), rule)).toBe(false)
  })

  it('asks for the binding filter, order and one row more than the limit; more rows mean truncated', async () => {
    const { client, calls, answer } = fakeClient()
    const { collection, loaderOf } = memorySink(rule)
    const loader = loaderOf(client)
    const loading = loader.load(binding('status=in.(open,"on hold"),n=not.gt.3'), { limit: 3, orderBy: { column: 'id', ascending: false } }, () => rule, 5000)
    answer({ data: [{ id: 9 }, { id: 8 }, { id: 7 }, { id: 6 }], error: null })
    const status = await loading
    expect(calls).toEqual([
      { method: 'from', args: ['items'] },
      { method: 'select', args: ['*'] },
      { method: 'filter', args: ['status', 'in', '(open,"on hold")'] },
      { method: 'filter', args: ['n', 'not.gt', '3'] },
      { method: 'order', args: ['id', { ascending: false }] },
      { method: 'limit', args: [4] },
    ])
    expect(status.truncated).toBe(true)
    expect(collection.list().map((row) => row.id)).toEqual([9, 8, 7])
  })

  it('reports a failed load and still applies the held changes', async () => {
    const { client, answer } = fakeClient()
    const { collection, loaderOf } = memorySink(rule)
    const loader = loaderOf(client)
    const loading = loader.load(binding(), { limit: 3, orderBy: null }, () => rule, 5000)
    loader.hold('items', false, insert({ id: 5 }), rule)
    answer({ data: null, error: { message: 'permission denied for table items', code: '42501', hint: null, details: null } })
    const status = await loading
    expect(status.error).toMatchObject({ code: 'LOAD_FAILED', message: 'The rows of "public.items" could not be loaded: permission denied for table items' })
    expect(collection.list()).toEqual([{ id: 5 }])
    expect(loader.has('items')).toBe(false)
  })

  it('reports a load that did not answer in time as LOAD_FAILED on timeoutMs', async () => {
    const { client, answer } = fakeClient()
    const { loaderOf } = memorySink(rule)
    const loader = loaderOf(client)
    const loading = loader.load(binding(), { limit: 3, orderBy: null }, () => rule, 5000)
    answer({ data: null, error: { message: 'TimeoutError: The operation was aborted due to timeout', code: '', hint: 'Request was aborted (timeout or manual cancellation)', details: null } })
    expect((await loading).error).toMatchObject({ code: 'LOAD_FAILED', field: 'timeoutMs', message: 'The rows of "public.items" did not arrive within 5000 ms.' })
  })

  it('drops the result of a load whose channel was left meanwhile', async () => {
    const { client, answer } = fakeClient()
    const { collection, loaderOf } = memorySink(rule)
    const loader = loaderOf(client)
    const loading = loader.load(binding(), { limit: 3, orderBy: null }, () => rule, 5000)
    loader.forget()
    answer({ data: [{ id: 1 }], error: null })
    await loading
    expect(collection.list()).toEqual([])
    expect(loader.statuses()).toBeUndefined()
  })

  it('reads orderBy as column[.asc|.desc]', () => {
    expect(parseOrderBy('created_at')).toEqual({ column: 'created_at', ascending: true })
    expect(parseOrderBy(' created_at.desc ')).toEqual({ column: 'created_at', ascending: false })
    expect(parseOrderBy('created_at.down')).toBeNull()
    expect(parseOrderBy('')).toBeNull()
  })
})
