import type { FilterCondition } from '../../filter'
import type { PostgresEvent } from './types'

/** One database binding of a channel, with defaults applied. */
export interface PostgresBindingConfig {
  event: PostgresEvent
  schema: string
  table: string
  /** Server-side filter, e.g. `room_id=eq.1`; empty means every row. */
  filter: string
  /** Columns to receive (the primary key is always included), or `null` for all. */
  select: string[] | null
  /** Columns that identify a row in `collections`. @default ['id'] */
  primaryKey: string[]
  /** The parsed filter, used to keep `collections` in line with it. */
  conditions: FilterCondition[]
  /** Load the rows that exist when subscribing into `collections`, or `null` (start empty). */
  load: CollectionLoadConfig | null
}

/** Most rows a load fetches unless the binding says otherwise. */
export const DEFAULT_LOAD_LIMIT = 1000

/** How a binding loads the rows that exist when it subscribes. */
export interface CollectionLoadConfig {
  /** Most rows to fetch; `truncated` tells when the table had more. */
  limit: number
  /** Order of the fetched rows (and so of the first rows in the collection), or `null` (table order). */
  orderBy: { column: string; ascending: boolean } | null
}

/** Everything that defines a subscribed channel, with defaults applied. */
export interface ChannelConfig {
  name: string
  private: boolean
  broadcast: { self: boolean; ack: boolean }
  presence: { enabled: boolean; key: string }
  postgresChanges: PostgresBindingConfig[]
  /** How long Subscribe waits for the server, in milliseconds. */
  timeoutMs: number
}

/** What of the database bindings decides which changes arrive and how their rows are keyed (not `load`). */
function bindingsSignature(config: ChannelConfig): unknown[] {
  return config.postgresChanges.map((b) => [b.event, b.schema, b.table, b.filter, b.select, b.primaryKey])
}

/**
 * A stable key for the parts of a config that need a new server channel when they change
 * (`timeoutMs` and `load` are not among them).
 */
export function channelConfigKey(config: ChannelConfig): string {
  return JSON.stringify([config.private, config.broadcast.self, config.broadcast.ack, config.presence.enabled, config.presence.key, bindingsSignature(config)])
}

/** A stable key for the database bindings of a config: when it changes, the channel's collections start again. */
export function bindingsKey(config: ChannelConfig): string {
  return JSON.stringify(bindingsSignature(config))
}

/**
 * Extra unfiltered UPDATE/DELETE bindings that keep `collections` honest: the server checks a
 * filter against the new row, so an update that makes a row stop matching (or a delete whose old
 * record lacks the filtered columns) never reaches a filtered binding. These companions only
 * remove or refresh rows a collection already holds; they never add rows or fire triggers.
 */
export function companionBindings(bindings: readonly PostgresBindingConfig[]): PostgresBindingConfig[] {
  const out: PostgresBindingConfig[] = []
  const seen = new Set<string>()
  for (const b of bindings) {
    if (b.conditions.length === 0 || b.table === '*' || b.schema === '*') continue
    for (const event of ['UPDATE', 'DELETE'] as const) {
      if (b.event !== '*' && b.event !== event) continue
      const covered = bindings.some((o) => o.table === b.table && o.schema === b.schema && o.conditions.length === 0 && (o.event === '*' || o.event === event))
      const key = `${b.schema}.${b.table}:${event}`
      if (covered || seen.has(key)) continue
      seen.add(key)
      out.push({ event, schema: b.schema, table: b.table, filter: '', select: null, primaryKey: b.primaryKey, conditions: [], load: null })
    }
  }
  return out
}
