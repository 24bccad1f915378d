import type pg from 'pg'
import type { JwtClaims, PostgresBinding, PostgresChangeData, PostgresSubscription } from '../database-hooks'
import { UNCHANGED_TOAST, type RelationInfo, type TupleValue } from './decode-pgoutput'
import { FilterJudge, type TextRow } from './filter-judge'
import type { ReplicatedChange } from './replication-stream'
import { renderValue, type PgTypeInfo } from './render-value'
import type { TypeCatalog } from './type-catalog'
import { validateBindings, type ActiveBinding } from './validate-bindings'

/** Largest change record delivered whole (bytes), as Supabase's `max_record_bytes`. */
export const MAX_RECORD_BYTES = 1_048_576

/** Subscribers checked by one `realtime.check_visibility` call; more are split across connections. */
const CHECK_CHUNK = 25

/** Changes of one transaction checked concurrently. */
const PREPARE_BATCH = 64

interface ChannelSubscription {
  topic: string
  claims: JwtClaims
  claimsKey: string
  bindings: ActiveBinding[]
  deliver(ids: number[], data: PostgresChangeData): void
  closed: boolean
}

interface VisibilityEntry {
  err: string | null
  cols: Array<{ name: string; type: string }>
}

/** What `realtime.check_visibility` returns. */
interface VisibilityResult {
  rls: boolean
  pk: string[]
  roles: Record<string, VisibilityEntry>
  visible: boolean[]
}

export interface PostgresChangesHubOptions {
  pool: pg.Pool
  types: TypeCatalog
  /** Resolves once the replication stream is live (subscriptions become ready after it). */
  live: Promise<void>
  onWarning?: (message: string, error?: unknown) => void
}

function claimsKeyOf(claims: JwtClaims): string {
  return JSON.stringify(claims)
}

function toRow(relation: RelationInfo, tuple: TupleValue[] | null, keysOnly: boolean): Record<string, TupleValue> {
  const row: Record<string, TupleValue> = {}
  if (!tuple) return row
  relation.columns.forEach((column, index) => {
    if (keysOnly && !column.isKey) return
    const value = tuple[index]
    if (value !== undefined) row[column.name] = value
  })
  return row
}

function textRow(row: Record<string, TupleValue>): TextRow {
  const out: Record<string, string | null> = {}
  for (const [name, value] of Object.entries(row)) {
    if (value !== UNCHANGED_TOAST) out[name] = value
  }
  return out
}

function formatCommitTimestamp(micros: bigint): string {
  return new Date(Number(micros / 1000n)).toISOString()
}

function bindingMatches(binding: ActiveBinding, change: ReplicatedChange): boolean {
  if (binding.event !== '*' && binding.event !== change.type) return false
  if (binding.schema !== '*' && binding.schema !== change.relation.schema) return false
  return binding.table === '*' || binding.table === change.relation.table
}

/**
 * The `postgres_changes` side of the database hooks: keeps the live subscriptions of every
 * channel, and for each replicated change decides who sees it (filters, then RLS by selecting the
 * row as each subscriber's role with its JWT claims) and builds the frame data.
 */
export class PostgresChangesHub {
  private readonly subscriptions = new Set<ChannelSubscription>()
  private readonly judge: FilterJudge

  constructor(private readonly options: PostgresChangesHubOptions) {
    this.judge = new FilterJudge(options.pool, options.onWarning)
  }

  /** Number of live channel subscriptions. */
  get size(): number {
    return this.subscriptions.size
  }

  subscribe(args: {
    topic: string
    bindings: PostgresBinding[]
    claims: JwtClaims
    deliver(ids: number[], data: PostgresChangeData): void
    onReady(): void
    onError(message: string): void
  }): PostgresSubscription {
    const subscription: ChannelSubscription = {
      topic: args.topic,
      claims: args.claims,
      claimsKey: claimsKeyOf(args.claims),
      bindings: [],
      deliver: args.deliver,
      closed: false,
    }
    const start = async (): Promise<void> => {
      const result = await validateBindings(this.options.pool, args.bindings, String(args.claims.role))
      if (subscription.closed) return
      if (!result.ok) {
        args.onError(result.message)
        return
      }
      await this.options.live
      if (subscription.closed) return
      subscription.bindings = result.bindings
      this.subscriptions.add(subscription)
      args.onReady()
    }
    start().catch((error: unknown) => {
      if (subscription.closed) return
      args.onError(error instanceof Error ? error.message : String(error))
    })
    return {
      updateClaims: async (claims) => {
        subscription.claims = claims
        subscription.claimsKey = claimsKeyOf(claims)
      },
      close: () => {
        subscription.closed = true
        this.subscriptions.delete(subscription)
      },
    }
  }

  /**
   * Works out who sees each change of one committed transaction; resolves to the function that
   * sends them (in order) so that transactions can be prepared concurrently and sent in commit order.
   */
  async prepareChanges(changes: readonly ReplicatedChange[], commitTimeMicros: bigint, xid: number): Promise<() => void> {
    if (this.subscriptions.size === 0) return () => {}
    const commitTimestamp = formatCommitTimestamp(commitTimeMicros)
    const prepared: Array<Awaited<ReturnType<PostgresChangesHub['prepare']>>> = []
    // NOTE: a bulk statement can change many rows in one transaction; check them in bounded batches.
    for (let start = 0; start < changes.length; start += PREPARE_BATCH) {
      const batch = changes.slice(start, start + PREPARE_BATCH)
      prepared.push(...(await Promise.all(batch.map((change) => this.prepare(change, commitTimestamp, xid)))))
    }
    return () => {
      for (const deliveries of prepared) {
        for (const delivery of deliveries) {
          if (!delivery.subscription.closed) delivery.subscription.deliver(delivery.ids, delivery.data)
        }
      }
    }
  }

  private async prepare(
    change: ReplicatedChange,
    commitTimestamp: string,
    xid: number,
  ): Promise<Array<{ subscription: ChannelSubscription; ids: number[]; data: PostgresChangeData }>> {
    const { relation } = change
    const candidates: Array<{ subscription: ChannelSubscription; bindings: ActiveBinding[] }> = []
    for (const subscription of this.subscriptions) {
      const bindings = subscription.bindings.filter((binding) => bindingMatches(binding, change))
      if (bindings.length > 0) candidates.push({ subscription, bindings })
    }
    if (candidates.length === 0) return []

    const types = await this.options.types.forRelation(relation)
    const newRow = toRow(relation, change.newTuple, false)
    const oldRow = toRow(relation, change.oldTuple, change.oldKind === 'K')
    const filterRow = textRow(change.type === 'DELETE' ? oldRow : newRow)
    // NOTE: JavaScript decides what it can; the rest goes to PostgreSQL in one query for this change.
    const filtered = candidates.flatMap((candidate) => candidate.bindings.filter((binding) => binding.conditions.length > 0))
    const verdicts = await this.judge.matches(relation, filterRow, types, filtered.map((binding) => binding.conditions))
    const passed = new Set(filtered.filter((_, index) => verdicts[index] === true))
    const matched: Array<{ subscription: ChannelSubscription; bindings: ActiveBinding[] }> = []
    for (const candidate of candidates) {
      const bindings = candidate.bindings.filter((binding) => binding.conditions.length === 0 || passed.has(binding))
      if (bindings.length > 0) matched.push({ subscription: candidate.subscription, bindings })
    }
    if (matched.length === 0) return []

    // One visibility check per distinct set of claims.
    const keys = [...new Set(matched.map((m) => m.subscription.claimsKey))]
    const claimsByKey = new Map(matched.map((m) => [m.subscription.claimsKey, m.subscription.claims]))
    const subscribers = keys.map((key) => {
      const claims = claimsByKey.get(key) as JwtClaims
      return [typeof claims.role === 'string' ? claims.role : '', claims]
    })
    const pkRow = textRow(change.type === 'DELETE' ? oldRow : newRow)
    let visibility: VisibilityResult
    try {
      // NOTE: many subscribers are checked in parallel chunks, each on its own connection.
      const chunks: unknown[][] = []
      for (let start = 0; start < subscribers.length; start += CHECK_CHUNK) chunks.push(subscribers.slice(start, start + CHECK_CHUNK))
      const results = await Promise.all(
        chunks.map(async (chunk) => {
          const { rows } = await this.options.pool.query<{ result: VisibilityResult }>(
            'select realtime.check_visibility($1::oid::regclass, $2::jsonb, $3::jsonb, $4, $5) as result',
            [relation.oid, JSON.stringify(pkRow), JSON.stringify(chunk), change.type !== 'DELETE', xid],
          )
          return (rows[0] as { result: VisibilityResult }).result
        }),
      )
      const first = results[0] as VisibilityResult
      visibility = {
        rls: first.rls,
        pk: first.pk,
        roles: Object.assign({}, ...results.map((result) => result.roles)) as VisibilityResult['roles'],
        visible: results.flatMap((result) => result.visible),
      }
    } catch (error) {
      // NOTE: the table may have been dropped since the change; nobody can see it any more.
      this.options.onWarning?.(`Could not check who may see a change on ${relation.schema}.${relation.table}`, error)
      return []
    }
    const byKey = new Map(
      keys.map((key, index) => {
        const role = String(claimsByKey.get(key)?.role ?? '')
        const entry = visibility.roles[role]
        return [key, visibility.visible[index] === true && entry ? entry : undefined] as const
      }),
    )

    const deliveries: Array<{ subscription: ChannelSubscription; ids: number[]; data: PostgresChangeData }> = []
    for (const { subscription, bindings } of matched) {
      const entry = byKey.get(subscription.claimsKey)
      if (!entry) continue
      // Bindings with the same `select` share one frame.
      const groups = new Map<string, number[]>()
      for (const binding of bindings) {
        const key = JSON.stringify(binding.select)
        groups.set(key, [...(groups.get(key) ?? []), binding.id])
      }
      for (const [selectKey, ids] of groups) {
        const select = JSON.parse(selectKey) as string[] | null
        deliveries.push({
          subscription,
          ids,
          data: this.buildData(change, commitTimestamp, entry, visibility, types, newRow, oldRow, select),
        })
      }
    }
    return deliveries
  }

  private buildData(
    change: ReplicatedChange,
    commitTimestamp: string,
    entry: VisibilityEntry,
    visibility: VisibilityResult,
    types: ReadonlyMap<string, PgTypeInfo>,
    newRow: Record<string, TupleValue>,
    oldRow: Record<string, TupleValue>,
    select: string[] | null,
  ): PostgresChangeData {
    const { relation } = change
    const base = { schema: relation.schema, table: relation.table, commit_timestamp: commitTimestamp, type: change.type }
    if (entry.err) return { ...base, columns: [], errors: [entry.err] }
    const pk = new Set(visibility.pk)
    const present = new Set(relation.columns.map((column) => column.name))
    const columns = entry.cols.filter(
      (column) => present.has(column.name) && (select === null || select.includes(column.name) || pk.has(column.name)),
    )
    const render = (row: Record<string, TupleValue>, fallback: Record<string, TupleValue> | null, only?: Set<string>) => {
      const out: Record<string, unknown> = {}
      for (const column of columns) {
        if (only && !only.has(column.name)) continue
        let value = row[column.name]
        if (value === UNCHANGED_TOAST) value = fallback?.[column.name]
        if (value === undefined || value === UNCHANGED_TOAST) continue
        out[column.name] = renderValue(value, types.get(column.name) ?? { name: column.type, category: 'U' })
      }
      return out
    }
    const data: PostgresChangeData = { ...base, columns, errors: null }
    if (change.type === 'INSERT' || change.type === 'UPDATE') {
      data.record = render(newRow, change.oldKind === 'O' ? oldRow : null)
    }
    if (change.type === 'UPDATE') {
      data.old_record = change.oldTuple ? render(oldRow, null) : render(newRow, null, pk)
    } else if (change.type === 'DELETE') {
      data.old_record = render(oldRow, null, visibility.rls ? pk : undefined)
    }
    const size = Buffer.byteLength(JSON.stringify([data.record ?? null, data.old_record ?? null]))
    if (size > MAX_RECORD_BYTES) {
      const shrink = (record: Record<string, unknown> | undefined) =>
        record &&
        Object.fromEntries(Object.entries(record).filter(([, value]) => Buffer.byteLength(JSON.stringify(value) ?? '') <= 64))
      if (data.record) data.record = shrink(data.record)
      if (data.old_record) data.old_record = shrink(data.old_record)
      data.errors = ['Error 413: Payload Too Large']
    }
    return data
  }
}
