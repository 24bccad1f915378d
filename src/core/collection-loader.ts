import { likeToRegExpSource, type FilterCondition } from '../../filter'
import type { CollectionLoadConfig, PostgresBindingConfig } from './channel-config'
import { errorFor, RealtimePluginError, type RealtimeErrorJSON } from './errors'
import type { CollectionRule, RowChange } from './live-collection'
import type { RealtimeRestClient } from './realtime-rest-client'
import type { CollectionStatus, Row } from './types'

/** Where the loader writes (the state behind the variables of one channel's collections). */
export interface CollectionSink {
  /** Replaces the rows of a collection with a snapshot. */
  replace(table: string, rows: Row[], rule: CollectionRule): void
  /** Applies a change delivered through one of the collection's bindings. */
  apply(table: string, change: RowChange, rule: CollectionRule): void
  /** Applies a companion change (only to rows the collection holds); returns whether it changed. */
  maintain(table: string, change: RowChange): boolean
  /** The statuses of the loaded collections changed (read them with {@link CollectionLoader.statuses}). */
  statusChanged(): void
  /** The rows of `collections` changed. */
  rowsChanged(): void
}

/** A change held back while a load is in flight, with how to apply it. */
interface HeldChange {
  companion: boolean
  change: RowChange
  rule: CollectionRule
}

interface LoadEntry {
  status: CollectionStatus
  /** Changes that arrived since the load began, in arrival (= commit) order; `null` when not loading. */
  held: HeldChange[] | null
}

/** `created_at`, `created_at.desc` or `created_at.asc`; `null` for anything else. */
export function parseOrderBy(text: string): { column: string; ascending: boolean } | null {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_$]*)(?:\.(asc|desc))?\s*$/.exec(text)
  if (!match) return null
  return { column: match[1] as string, ascending: match[2] !== 'desc' }
}

/** One condition of a binding's filter as the PostgREST query filter that selects the same rows. */
function toRestFilter(condition: FilterCondition): { operator: string; value: string } {
  const not = condition.negate ? 'not.' : ''
  // NOTE: the parsed `in` value is PostgreSQL's array literal `{a,b}`; PostgREST wants `(a,b)`.
  if (condition.op === 'in') return { operator: `${not}in`, value: `(${condition.value.slice(1, -1)})` }
  // NOTE: PostgREST reads `*` in a LIKE pattern as `%`, so a pattern with a literal star (as the
  // Realtime filter reads it) is sent as the same test in a regular expression.
  if ((condition.op === 'like' || condition.op === 'ilike') && condition.value.includes('*')) {
    return { operator: `${not}${condition.op === 'like' ? 'match' : 'imatch'}`, value: likeToRegExpSource(condition.value) }
  }
  return { operator: `${not}${condition.op}`, value: condition.value }
}

/** The binding's filter as PostgREST query filters (the same grammar, so the same rows). */
function applyFilters<Q extends { filter(column: string, operator: string, value: unknown): Q }>(query: Q, binding: PostgresBindingConfig): Q {
  let next = query
  for (const condition of binding.conditions) {
    const { operator, value } = toRestFilter(condition)
    next = next.filter(condition.column, operator, value)
  }
  return next
}

/**
 * Fetches the rows a binding covers, through the app's own supabase-js client (so the user's token
 * and RLS apply): `from(table).select(columns)` with the binding's filter, order and `limit + 1`
 * rows (one more, to tell whether the table had more).
 */
export async function fetchBindingRows(
  client: RealtimeRestClient,
  binding: PostgresBindingConfig,
  load: CollectionLoadConfig,
  timeoutMs: number,
): Promise<{ rows: Row[]; truncated: boolean }> {
  const { schema, table } = binding
  const columns = binding.select ? [...new Set([...binding.primaryKey, ...binding.select])].join(',') : '*'
  const source = schema === 'public' ? client : client.schema(schema)
  let query = applyFilters(source.from(table).select(columns), binding)
  if (load.orderBy) query = query.order(load.orderBy.column, { ascending: load.orderBy.ascending })
  const { data, error } = await query.limit(load.limit + 1).abortSignal(AbortSignal.timeout(timeoutMs))
  if (error) {
    const timedOut = /AbortError|TimeoutError/.test(String(error.message)) || String(error.hint ?? '').includes('aborted')
    if (timedOut) {
      throw errorFor('LOAD_FAILED', 'timedOut', { schema, table, timeoutMs }, { field: 'timeoutMs', details: { table, schema } })
    }
    throw errorFor('LOAD_FAILED', 'refused', { schema, table, reason: error.message }, {
      field: 'postgresChanges',
      details: { table, schema, code: error.code, hint: error.hint, details: error.details },
    })
  }
  const rows = (data ?? []) as unknown as Row[]
  return { rows: rows.slice(0, load.limit), truncated: rows.length > load.limit }
}

/**
 * Loads the current rows of a channel's tables and merges them with the live changes, with no gap
 * and no stale row. The order of events that makes this exact:
 *
 * 1. The load begins only once the server has confirmed the database subscription, so every change
 *    committed from then on is delivered to us.
 * 2. From the moment the load begins, changes for the table are held back (not applied) while the
 *    snapshot is fetched. The snapshot is taken after step 1, so it contains every change committed
 *    before it, and the held list contains every change committed after the subscription started.
 * 3. When the snapshot arrives it replaces the collection, then the held changes are applied on top,
 *    in the order they arrived (commit order), keyed by primary key.
 *
 * A row the snapshot lacks and no change touches did not change since the subscription started,
 * so the snapshot is right about it. For a row a held change touches, the last change wins: an
 * older snapshot version never overwrites a newer change, and a row deleted during the fetch stays
 * deleted (its DELETE is applied after the snapshot). A change that is also in the snapshot is
 * applied again with the same data, so nothing is duplicated (rows are keyed by primary key).
 * A change committed before the snapshot but delivered after it arrived can briefly bring back an
 * older version; the changes that followed it come next, in commit order, and restore the newest.
 * After a gap (reconnect) the same load runs again, once the subscription is confirmed again.
 */
export class CollectionLoader {
  #tables = new Map<string, LoadEntry>()

  readonly #client: RealtimeRestClient
  readonly #sink: CollectionSink

  constructor(client: RealtimeRestClient, sink: CollectionSink) {
    this.#client = client
    this.#sink = sink
  }

  /** Whether the collection of `table` has been loaded or is loading. */
  has(table: string): boolean {
    return this.#tables.get(table)?.status.error === null
  }

  /**
   * Holds back a change while the collection's load is in flight; returns `false` when there is
   * no load in flight (apply the change now).
   */
  hold(table: string, companion: boolean, change: RowChange, rule: CollectionRule): boolean {
    const held = this.#tables.get(table)?.held
    return !!held && held.push({ companion, change, rule }) > 0
  }

  /** Loads the rows of one binding into its collection (see the class comment). Never throws: failures go to `status.error`. */
  async load(binding: PostgresBindingConfig, load: CollectionLoadConfig, rule: () => CollectionRule, timeoutMs: number): Promise<CollectionStatus> {
    const { table } = binding
    const tables = this.#tables
    const previous = tables.get(table)?.status
    const entry: LoadEntry = {
      status: { loading: true, loadedAt: previous?.loadedAt ?? null, error: null, truncated: previous?.truncated ?? false },
      // NOTE: a reload while a load is in flight keeps the changes held since the first began.
      held: tables.get(table)?.held ?? [],
    }
    tables.set(table, entry)
    this.#report()
    let snapshot: { rows: Row[]; truncated: boolean } | null = null
    let failure: RealtimeErrorJSON | null = null
    try {
      snapshot = await fetchBindingRows(this.#client, binding, load, timeoutMs)
    } catch (error) {
      failure = (error instanceof RealtimePluginError ? error : errorFor('LOAD_FAILED', 'failed', { table, reason: String(error) }, { details: {}, cause: error })).toJSON()
    }
    // NOTE: a newer load, or an unsubscribe, took over meanwhile: its result counts, not this one.
    if (this.#tables.get(table) !== entry) return entry.status
    const held = entry.held ?? []
    entry.held = null
    if (snapshot) this.#sink.replace(table, snapshot.rows, rule())
    for (const item of held) {
      if (item.companion) this.#sink.maintain(table, item.change)
      else this.#sink.apply(table, item.change, item.rule)
    }
    entry.status = snapshot
      ? { loading: false, loadedAt: Date.now(), error: null, truncated: snapshot.truncated }
      : { ...entry.status, loading: false, error: failure }
    this.#report()
    return entry.status
  }

  /** The statuses of the collections, or `undefined` when none loads. */
  statuses(): Record<string, CollectionStatus> | undefined {
    if (this.#tables.size === 0) return undefined
    const out: Record<string, CollectionStatus> = {}
    for (const [table, entry] of this.#tables) out[table] = entry.status
    return out
  }

  /** Forgets every collection (the channel was left or subscribed with other settings): loads in flight are dropped. */
  forget(): void {
    this.#tables = new Map()
  }

  #report(): void {
    this.#sink.statusChanged()
    this.#sink.rowsChanged()
  }
}
