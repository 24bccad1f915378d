import type { ValidationIssue } from '../src/core/validation'
import { DEFAULT_LOAD_LIMIT, type ChannelConfig, type PostgresBindingConfig } from '../src/core/channel-config'
import { parseOrderBy } from '../src/core/collection-loader'
import { parseFilter } from '../filter'
import type { ChannelStatus, PostgresEvent } from '../src/core/types'
import { asRecord, describe, isBlank, isPlainObject, issue, type IssueCode } from '../src/core/validation'
import { checkInputs, type CheckedInputs } from './check-inputs'
import { defineAction } from './define-action'
import { ACTION_TIMEOUT_MS, CHANNEL_INPUT } from './shared-inputs'

/** One database binding of Subscribe. */
export interface PostgresChangeInput {
  /** `*`, `INSERT`, `UPDATE` or `DELETE`. @default '*' */
  event?: PostgresEvent | Lowercase<Exclude<PostgresEvent, '*'>>
  /** @default 'public' */
  schema?: string
  table: string
  /** Server-side row filter, e.g. `room_id=eq.1`. */
  filter?: string
  /** Columns to receive; the primary key is always included. */
  select?: string[]
  /** Columns that identify a row in the `collections` variable. @default 'id' */
  primaryKey?: string | string[]
  /**
   * Load the rows that exist into `collections` once subscribed (through the same client, so RLS
   * applies), then follow changes; reloaded after a reconnect. @default false
   */
  load?: boolean
  /** With `load`: most rows to load (`channels.<name>.collections.<table>.truncated` tells when there were more). @default 1000 */
  limit?: number
  /** With `load`: order of the loaded rows, `column` or `column.desc`. @default table order */
  orderBy?: string
}

/** Input of "Subscribe to channel". */
export interface SubscribeInput {
  /** Channel name as the user typed it (no `realtime:` prefix), e.g. `chat`. */
  channel: string
  /** Private channel, checked by RLS policies on `realtime.messages`. @default false */
  private?: boolean
  broadcast?: {
    /** Receive your own messages through the trigger too. @default false */
    self?: boolean
    /** Wait for the server to confirm each message. @default true */
    ack?: boolean
  }
  presence?: {
    /** Receive who is online. @default true */
    enabled?: boolean
    /** The key others see you under. @default the signed-in user id, or one id per app instance */
    key?: string
  }
  postgresChanges?: PostgresChangeInput[]
  /** How long to wait for the server, in milliseconds. @default 10000 */
  timeoutMs?: number
}

/** Result of "Subscribe to channel". */
export interface SubscribeResult {
  channel: string
  status: Extract<ChannelStatus, 'SUBSCRIBED'>
}

/** The inputs of one database binding, in form order (`select` is not in the form). */
const BINDING_INPUTS = {
  event: { type: 'select', default: '*', values: ['*', 'INSERT', 'UPDATE', 'DELETE'], label: 'Event', ignoreCase: true },
  schema: { type: 'text', default: 'public', label: 'Schema', example: 'a schema name, e.g. public' },
  table: { type: 'text', required: true, label: 'Table', example: 'a table name, e.g. messages' },
  filter: { type: 'text', label: 'Filter', example: 'column=operator.value, e.g. room_id=eq.1' },
  primaryKey: { type: 'text', default: 'id' },
  load: { type: 'boolean', default: false, label: 'Load existing rows' },
  limit: { type: 'number', default: DEFAULT_LOAD_LIMIT, min: 1, max: 100_000, label: 'Rows to load', when: 'load' },
  orderBy: { type: 'text' },
} as const satisfies CheckedInputs

/** The inputs of "Subscribe to channel", in form order: kind, default, choices and bounds of each. */
export const SUBSCRIBE_INPUTS = {
  channel: CHANNEL_INPUT,
  private: { type: 'boolean', default: false, label: 'Private channel' },
  'broadcast.self': { type: 'boolean', default: false, label: 'Receive own messages' },
  'broadcast.ack': { type: 'boolean', default: true, label: 'Confirm delivery' },
  'presence.enabled': { type: 'boolean', default: true, label: 'Presence (who is online)' },
  'presence.key': { type: 'text', label: 'Presence key', example: 'the user id' },
  postgresChanges: { type: 'list', default: [], item: BINDING_INPUTS, label: 'Database changes', example: '{ "table": "messages" }' },
  timeoutMs: { type: 'number', default: ACTION_TIMEOUT_MS, min: 1000, max: 120_000, label: 'Timeout (ms)' },
} as const satisfies CheckedInputs

const badColumn = (c: unknown): boolean => typeof c !== 'string' || c.trim() === ''

/** What the generic checks of `BINDING_INPUTS` leave out: filter grammar, columns, primary key, order, whole row limit, one table. */
function checkBinding(b: Record<string, unknown>, i: number): ValidationIssue[] {
  const name = `Database changes ${i + 1}`
  const issues: ValidationIssue[] = []
  const add = (field: string, code: IssueCode, message: string, fix: string): void => void issues.push(issue(`postgresChanges[${i}].${field}`, code, message, fix))
  const { filter, select, primaryKey, load, limit, orderBy } = b
  const oneTable = b['table'] !== '*' && b['schema'] !== '*'
  if (typeof filter === 'string' && !isBlank(filter)) {
    // NOTE: the same parser as the server's, so a filter passes here exactly when the server accepts its grammar.
    const parsed = parseFilter(filter)
    if (!parsed.ok) add('filter', 'INVALID_VALUE', `${name}: ${parsed.error.message}`, parsed.error.fix)
  }
  if (select != null) {
    if (!Array.isArray(select) || select.some(badColumn)) {
      add('select', 'INVALID_TYPE', `Columns (${name}) must be a list of column names.`, 'Enter e.g. ["id", "body"], or leave empty for all.')
    } else if (!oneTable) {
      add('select', 'INVALID_VALUE', `${name} picks columns, which needs one table (not *).`, 'Choose one table, or leave the columns empty.')
    }
  }
  if (load === true) {
    if (typeof limit === 'number' && !Number.isInteger(limit)) add('limit', 'INVALID_VALUE', `Rows to load (${name}) must be a whole number, but is ${limit}.`, 'Enter e.g. 1000.')
    if (!isBlank(orderBy) && (typeof orderBy !== 'string' || parseOrderBy(orderBy) === null)) {
      add('orderBy', 'INVALID_VALUE', `Order (${name}) must be a column, optionally with .asc or .desc, but got ${describe(orderBy)}.`, 'Enter e.g. created_at.desc, or leave it empty.')
    }
    if (!oneTable) add('load', 'INVALID_VALUE', `${name} loads rows, which needs one table (not *).`, 'Choose one table, or turn off "Load existing rows".')
  }
  if (primaryKey != null && (Array.isArray(primaryKey) ? primaryKey.length === 0 || primaryKey.some(badColumn) : badColumn(primaryKey))) {
    add('primaryKey', 'INVALID_TYPE', `Primary key (${name}) must be a column name or a list of them.`, 'Enter e.g. id.')
  }
  return issues
}

/** Validates a Subscribe input (the editor uses the same function). */
export function validateSubscribeInput(input: unknown): ValidationIssue[] {
  const issues = checkInputs(SUBSCRIBE_INPUTS, input)
  const bindings = asRecord(input)['postgresChanges']
  if (!Array.isArray(bindings)) return issues
  const loading = new Map<string, number>()
  const seen = new Map<string, number>()
  bindings.forEach((b: unknown, i) => {
    if (!isPlainObject(b)) return
    issues.push(...checkBinding(b, i))
    const table = `${String(b['schema'] || 'public')}.${String(b['table'])}`
    if (b['load'] === true) {
      const first = loading.get(table)
      if (first === undefined) loading.set(table, i)
      else issues.push(issue(`postgresChanges[${i}].load`, 'INVALID_VALUE', `Database changes ${first + 1} and ${i + 1} both load rows of ${table} (one collection).`, 'Turn on "Load existing rows" once per table.'))
    }
    const key = JSON.stringify([String(b['event'] ?? '*').toUpperCase(), b['schema'] || 'public', b['table'], b['filter'] ?? ''])
    const same = seen.get(key)
    if (same !== undefined) issues.push(issue(`postgresChanges[${i}]`, 'INVALID_VALUE', `Database changes ${i + 1} repeats database changes ${same + 1}.`, 'Remove the duplicate binding.'))
    else seen.set(key, i)
  })
  return issues
}

/** Applies defaults to a valid Subscribe input. */
export function toChannelConfig(input: SubscribeInput): ChannelConfig {
  const bindings: PostgresBindingConfig[] = (input.postgresChanges ?? []).map((b) => {
    const filter = (b.filter ?? '').trim()
    const parsed = parseFilter(filter)
    return {
      event: (b.event ? b.event.toUpperCase() : BINDING_INPUTS.event.default) as PostgresEvent,
      schema: b.schema?.trim() || BINDING_INPUTS.schema.default,
      table: b.table.trim(),
      filter,
      select: b.select?.length ? b.select.map((c) => c.trim()) : null,
      primaryKey: typeof b.primaryKey === 'string' ? [b.primaryKey.trim()] : b.primaryKey?.length ? b.primaryKey.map((c) => c.trim()) : [BINDING_INPUTS.primaryKey.default],
      conditions: parsed.ok ? parsed.conditions : [],
      load: b.load === true ? { limit: b.limit ?? DEFAULT_LOAD_LIMIT, orderBy: b.orderBy ? parseOrderBy(b.orderBy) : null } : null,
    }
  })
  return {
    name: input.channel.trim(),
    private: input.private ?? SUBSCRIBE_INPUTS.private.default,
    broadcast: { self: input.broadcast?.self ?? SUBSCRIBE_INPUTS['broadcast.self'].default, ack: input.broadcast?.ack ?? SUBSCRIBE_INPUTS['broadcast.ack'].default },
    presence: { enabled: input.presence?.enabled ?? SUBSCRIBE_INPUTS['presence.enabled'].default, key: (input.presence?.key ?? '').trim() },
    postgresChanges: bindings,
    timeoutMs: input.timeoutMs ?? SUBSCRIBE_INPUTS.timeoutMs.default,
  }
}

/**
 * Subscribe to channel: joins a Realtime channel and listens to its broadcasts, presence and
 * database changes. Resolves once the server confirmed everything.
 *
 * @example
 * await plugin.execute('subscribe', { channel: 'chat', presence: { key: user.id } })
 */
export const subscribeToChannel = defineAction<SubscribeInput, SubscribeResult>({
  id: 'subscribe',
  name: 'Realtime | Subscribe to channel',
  inputs: SUBSCRIBE_INPUTS,
  validate: validateSubscribeInput,
  async execute(input, { runtime }) {
    const state = await runtime.subscribe(toChannelConfig(input))
    return { channel: state.name, status: 'SUBSCRIBED' }
  },
})
