import type { ValidationIssue } from '../src/core/validation'
import { DEFAULT_LOAD_LIMIT, type ChannelConfig, type PostgresBindingConfig } from '../src/core/channel-config'
import { parseOrderBy } from '../src/core/collection-loader'
import type { InputFields } from '../src/core/field-spec'
import { parseFilter } from '../filter'
import type { ChannelStatus, PostgresEvent } from '../src/core/types'
import {
  asRecord,
  describe,
  isBlank,
  isPlainObject,
  issue,
  optionalBoolean,
  optionalNumber,
  optionalObject,
  requireText,
  validateChannelName,
} from '../src/core/validation'
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
  event: { type: 'select', default: '*', values: ['*', 'INSERT', 'UPDATE', 'DELETE'] },
  schema: { type: 'text', default: 'public' },
  table: { type: 'text', required: true },
  filter: { type: 'text' },
  primaryKey: { type: 'text', default: 'id' },
  load: { type: 'boolean', default: false },
  limit: { type: 'number', default: DEFAULT_LOAD_LIMIT, min: 1, max: 100_000 },
  orderBy: { type: 'text' },
} as const satisfies InputFields

/** The inputs of "Subscribe to channel", in form order: kind, default, choices and bounds of each. */
export const SUBSCRIBE_INPUTS = {
  channel: CHANNEL_INPUT,
  private: { type: 'boolean', default: false },
  'broadcast.self': { type: 'boolean', default: false },
  'broadcast.ack': { type: 'boolean', default: true },
  'presence.enabled': { type: 'boolean', default: true },
  'presence.key': { type: 'text' },
  postgresChanges: { type: 'list', default: [], item: BINDING_INPUTS },
  timeoutMs: { type: 'number', default: ACTION_TIMEOUT_MS, min: 1000, max: 120_000 },
} as const satisfies InputFields

const EVENTS: readonly string[] = BINDING_INPUTS.event.values
/** Most rows one binding may load. */
const MAX_LOAD_LIMIT = BINDING_INPUTS.limit.max

function validateBinding(value: unknown, i: number): ValidationIssue[] {
  const at = `postgresChanges[${i}]`
  if (!isPlainObject(value)) {
    return [issue(at, 'INVALID_TYPE', `Database binding ${i + 1} must be an object, but got ${describe(value)}.`, 'Use an object such as { event: "INSERT", schema: "public", table: "messages" }.')]
  }
  const issues: ValidationIssue[] = []
  const event = value['event']
  if (!isBlank(event) && (typeof event !== 'string' || !EVENTS.includes(event.toUpperCase()))) {
    issues.push(issue(`${at}.event`, 'INVALID_VALUE', `The event of database binding ${i + 1} must be *, INSERT, UPDATE or DELETE, but got ${describe(event)}.`, 'Pick All events (*), INSERT, UPDATE or DELETE.'))
  }
  const schema = value['schema']
  if (!isBlank(schema) && typeof schema !== 'string') {
    issues.push(issue(`${at}.schema`, 'INVALID_TYPE', `The schema of database binding ${i + 1} must be text, but got ${describe(schema)}.`, 'Enter a schema name, e.g. public.'))
  }
  issues.push(...requireText(value['table'], `${at}.table`, `The table of database binding ${i + 1}`, 'a table name, e.g. messages'))
  const filter = value['filter']
  if (!isBlank(filter)) {
    if (typeof filter !== 'string') {
      issues.push(issue(`${at}.filter`, 'INVALID_TYPE', `The filter of database binding ${i + 1} must be text, but got ${describe(filter)}.`, 'Write it as column=operator.value, e.g. room_id=eq.1.'))
    } else {
      // NOTE: the same parser as the server's, so a filter passes here exactly when the server accepts its grammar.
      const parsed = parseFilter(filter)
      if (!parsed.ok) issues.push(issue(`${at}.filter`, 'INVALID_VALUE', `Database binding ${i + 1}: ${parsed.error.message}`, parsed.error.fix))
    }
  }
  const select = value['select']
  if (select !== undefined && select !== null) {
    if (!Array.isArray(select) || select.some((c) => typeof c !== 'string' || c.trim() === '')) {
      issues.push(issue(`${at}.select`, 'INVALID_TYPE', `The columns of database binding ${i + 1} must be a list of column names.`, 'Enter column names, e.g. ["id", "body"], or leave empty for all columns.'))
    } else if (value['table'] === '*' || schema === '*') {
      issues.push(issue(`${at}.select`, 'INVALID_VALUE', `Database binding ${i + 1} picks columns, which needs one schema and one table (not *).`, 'Choose a single table, or leave the columns empty.'))
    }
  }
  issues.push(...optionalBoolean(value['load'], `${at}.load`, `Load existing rows (binding ${i + 1})`))
  if (value['load'] === true) {
    issues.push(...optionalNumber(value['limit'], `${at}.limit`, `The row limit of database binding ${i + 1}`, 1, MAX_LOAD_LIMIT))
    if (typeof value['limit'] === 'number' && !Number.isInteger(value['limit'])) {
      issues.push(issue(`${at}.limit`, 'INVALID_VALUE', `The row limit of database binding ${i + 1} must be a whole number, but is ${value['limit']}.`, 'Enter a whole number of rows, e.g. 1000.'))
    }
    const orderBy = value['orderBy']
    if (!isBlank(orderBy) && (typeof orderBy !== 'string' || parseOrderBy(orderBy) === null)) {
      issues.push(issue(`${at}.orderBy`, 'INVALID_VALUE', `The order of database binding ${i + 1} must be a column name, optionally followed by .asc or .desc, but got ${describe(orderBy)}.`, 'Enter e.g. created_at (oldest first) or created_at.desc (newest first), or leave it empty.'))
    }
    if (value['table'] === '*' || schema === '*') {
      issues.push(issue(`${at}.load`, 'INVALID_VALUE', `Database binding ${i + 1} loads rows, which needs one schema and one table (not *).`, 'Choose a single table, or turn off "Load existing rows".'))
    }
  }
  const pk = value['primaryKey']
  if (pk !== undefined && pk !== null && !(typeof pk === 'string' && pk.trim() !== '') && !(Array.isArray(pk) && pk.length > 0 && pk.every((c) => typeof c === 'string' && c.trim() !== ''))) {
    issues.push(issue(`${at}.primaryKey`, 'INVALID_TYPE', `The primary key of database binding ${i + 1} must be a column name or a list of column names.`, 'Enter the primary key column, e.g. id.'))
  }
  return issues
}

/** Validates a Subscribe input (the editor uses the same function). */
export function validateSubscribeInput(input: unknown): ValidationIssue[] {
  const v = asRecord(input)
  const issues: ValidationIssue[] = [...validateChannelName(v['channel'])]
  issues.push(...optionalBoolean(v['private'], 'private', 'Private channel'))
  issues.push(...optionalObject(v['broadcast'], 'broadcast', 'Broadcast options', '{ self: false, ack: true }'))
  if (isPlainObject(v['broadcast'])) {
    issues.push(...optionalBoolean(v['broadcast']['self'], 'broadcast.self', 'Receive own messages'))
    issues.push(...optionalBoolean(v['broadcast']['ack'], 'broadcast.ack', 'Confirm delivery'))
  }
  issues.push(...optionalObject(v['presence'], 'presence', 'Presence options', '{ enabled: true, key: "user-1" }'))
  if (isPlainObject(v['presence'])) {
    issues.push(...optionalBoolean(v['presence']['enabled'], 'presence.enabled', 'Presence'))
    const key = v['presence']['key']
    if (key !== undefined && key !== null && typeof key !== 'string') {
      issues.push(issue('presence.key', 'INVALID_TYPE', `The presence key must be text, but got ${describe(key)}.`, 'Bind it to the user id, or leave it empty to use the signed-in user.'))
    }
  }
  const bindings = v['postgresChanges']
  if (bindings !== undefined && bindings !== null) {
    if (!Array.isArray(bindings)) {
      issues.push(issue('postgresChanges', 'INVALID_TYPE', `Database changes must be a list of bindings, but got ${describe(bindings)}.`, 'Add bindings as a list, e.g. [{ event: "INSERT", schema: "public", table: "messages" }], or leave it empty.'))
    } else {
      bindings.forEach((b, i) => issues.push(...validateBinding(b, i)))
      const loading = new Map<string, number>()
      bindings.forEach((b, i) => {
        if (!isPlainObject(b) || b['load'] !== true) return
        const table = `${String(b['schema'] || 'public')}.${String(b['table'])}`
        const first = loading.get(table)
        if (first !== undefined) {
          issues.push(issue(`postgresChanges[${i}].load`, 'INVALID_VALUE', `Database bindings ${first + 1} and ${i + 1} both load rows of ${table}, which share one collection.`, 'Turn on "Load existing rows" on one binding per table.'))
        } else loading.set(table, i)
      })
      const seen = new Map<string, number>()
      bindings.forEach((b, i) => {
        if (!isPlainObject(b)) return
        const key = JSON.stringify([String(b['event'] ?? '*').toUpperCase(), b['schema'] || 'public', b['table'], b['filter'] ?? ''])
        const first = seen.get(key)
        if (first !== undefined) {
          issues.push(issue(`postgresChanges[${i}]`, 'INVALID_VALUE', `Database binding ${i + 1} repeats binding ${first + 1}.`, 'Remove the duplicate binding.'))
        } else seen.set(key, i)
      })
    }
  }
  const { min, max } = SUBSCRIBE_INPUTS.timeoutMs
  issues.push(...optionalNumber(v['timeoutMs'], 'timeoutMs', 'Timeout', min, max))
  return issues
}

/** Applies defaults to a valid Subscribe input. */
export function toChannelConfig(input: SubscribeInput): ChannelConfig {
  const bindings: PostgresBindingConfig[] = (input.postgresChanges ?? []).map((b) => {
    const filter = (b.filter ?? '').trim()
    const parsed = parseFilter(filter)
    return {
      event: (b.event ? b.event.toUpperCase() : BINDING_INPUTS.event.default) as PostgresEvent,
      schema: b.schema && b.schema.trim() !== '' ? b.schema.trim() : BINDING_INPUTS.schema.default,
      table: b.table.trim(),
      filter,
      select: b.select && b.select.length > 0 ? b.select.map((c) => c.trim()) : null,
      primaryKey: typeof b.primaryKey === 'string' ? [b.primaryKey.trim()] : b.primaryKey && b.primaryKey.length > 0 ? b.primaryKey.map((c) => c.trim()) : [BINDING_INPUTS.primaryKey.default],
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
