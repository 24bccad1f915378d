import type pg from 'pg'
import type { PostgresBinding } from '../database-hooks'
import { MAX_IN_VALUES, filterServerMessage, inspectStrings, parseFilter, type FilterCondition } from '../../filter'
import { REALTIME_PUBLICATION } from './supabase-schema-sql'

/** A `postgres_changes` binding checked against the database and ready to match changes. */
export interface ActiveBinding {
  id: number
  event: 'INSERT' | 'UPDATE' | 'DELETE' | '*'
  /** Schema name or `*`. */
  schema: string
  /** Table name or `*`. */
  table: string
  conditions: FilterCondition[]
  /** Columns to keep (plus the primary key), or null for all. */
  select: string[] | null
}

export type ValidateBindingsResult = { ok: true; bindings: ActiveBinding[] } | { ok: false; message: string }

const UNABLE = 'Unable to subscribe to changes with given parameters.'

function describeParams(binding: PostgresBinding, conditions: FilterCondition[]): string {
  const filters = `[${conditions.map((c) => `{${inspectStrings([c.column, (c.negate ? 'not.' : '') + c.op, c.value]).slice(1, -1)}}`).join(', ')}]`
  const select = Array.isArray(binding.select) ? inspectStrings(binding.select.map(String)) : 'nil'
  const schema = typeof binding.schema === 'string' && binding.schema !== '' ? binding.schema : 'public'
  const table = typeof binding.table === 'string' && binding.table !== '' ? binding.table : '*'
  return `[event: ${String(binding.event ?? '*')}, schema: ${schema}, table: ${table}, filters: ${filters}, select: ${select}]`
}

const CONDITION_NAMES: Record<string, string> = {
  '22P02': 'invalid_text_representation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22P04': 'bad_copy_file_format',
  '2202E': 'array_subscript_error',
  '22021': 'character_not_in_repertoire',
}

/** A PostgreSQL error as the server logs it: `ERROR 22P02 (invalid_text_representation) <message>`. */
function describePgError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'XX000'
  const message = error instanceof Error ? error.message : String(error)
  return `ERROR ${code} (${CONDITION_NAMES[code] ?? 'error'}) ${message}`
}

function raised(message: string): string {
  return `ERROR P0001 (raise_exception) ${message}`
}

/**
 * Checks one condition against its column as Supabase does when it stores the subscription: the
 * value must read as the column's type, `is true|false|unknown` needs a boolean column, `like` and
 * `match` need a text-like column, and a regular expression must compile. Returns the problem, or
 * `null`; a failed cast throws the PostgreSQL error.
 */
async function checkCondition(pool: pg.Pool, oid: number, condition: FilterCondition, type: string): Promise<string | null> {
  switch (condition.op) {
    case 'is':
      return condition.value !== 'null' && type !== 'boolean' ? raised(`is ${condition.value} filter requires a boolean column, got ${type}`) : null
    case 'like':
    case 'ilike':
    case 'match':
    case 'imatch': {
      const operator = { like: '~~', ilike: '~~*', match: '~', imatch: '~*' }[condition.op]
      // NOTE: whether PostgreSQL can apply the operator (varchar borrows text's); `type` is a catalog-quoted regtype name.
      const applies = await pool.query(`select null::${type} ${operator} null::text`).then(
        () => true,
        () => false,
      )
      if (!applies) return raised(`operator ${condition.op} requires a text-compatible column type, got ${type}`)
      if (condition.op === 'like' || condition.op === 'ilike') return null
      try {
        await pool.query("select '' ~ $1", [condition.value])
        return null
      } catch (error) {
        return raised(`invalid regular expression for ${condition.op} filter: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    default:
      // NOTE: `isdistinct` compares with a literal too (`isdistinct.null` is the text "null"), so it casts like `eq`.
      await pool.query('select realtime.check_filter_value($1::oid::regclass, $2, $3, $4)', [oid, condition.column, condition.op === 'isdistinct' ? 'eq' : condition.op, condition.value])
      return null
  }
}

function normalizeEvent(event: unknown): ActiveBinding['event'] {
  const upper = typeof event === 'string' ? event.toUpperCase() : '*'
  return upper === 'INSERT' || upper === 'UPDATE' || upper === 'DELETE' ? upper : '*'
}

/**
 * Checks the bindings of one channel the way Supabase does when it creates its subscription rows:
 * filter grammar, `select`, that the table is in the `supabase_realtime` publication and that every
 * filtered column exists. The first problem is returned as the message of the `system` error.
 */
export async function validateBindings(
  pool: pg.Pool,
  bindings: readonly PostgresBinding[],
  role: string,
): Promise<ValidateBindingsResult> {
  const active: ActiveBinding[] = []
  let roleChecked = false
  for (const binding of bindings) {
    const hasSchema = typeof binding.schema === 'string' && binding.schema !== ''
    const hasTable = typeof binding.table === 'string' && binding.table !== ''
    if (!hasSchema && !hasTable) {
      return {
        ok: false,
        message: `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${JSON.stringify(binding)}`,
      }
    }
    // NOTE: the `in` limit is checked below, with the connect parameters in the message as Supabase words it.
    const parsed = parseFilter(typeof binding.filter === 'string' ? binding.filter : undefined, { maxInValues: Number.POSITIVE_INFINITY })
    if (!parsed.ok) return { ok: false, message: filterServerMessage(parsed.error) }
    const schema = hasSchema ? binding.schema : 'public'
    const table = hasTable ? (binding.table as string) : '*'
    let select: string[] | null = null
    if (binding.select !== undefined && binding.select !== null) {
      if (!Array.isArray(binding.select) || !binding.select.every((item) => typeof item === 'string')) {
        return { ok: false, message: 'Error parsing `select` params: `select` must be a list of column names, e.g. ["id", "status"]' }
      }
      if (schema === '*' || table === '*') {
        return { ok: false, message: 'Error parsing `select` params: `select` cannot be used with a wildcard (*) schema or table' }
      }
      select = binding.select as string[]
    }
    const params = describeParams(binding, parsed.conditions)
    const tooMany = parsed.conditions.find((c) => c.op === 'in' && (c.values?.length ?? 0) > MAX_IN_VALUES)
    if (tooMany) {
      return {
        ok: false,
        message: `${UNABLE} An exception happened so please check your connect parameters: ${params}. Exception: ERROR P0001 (raise_exception) too many values for \`in\` filter. Maximum ${MAX_IN_VALUES}`,
      }
    }
    if (!roleChecked) {
      const { rowCount } = await pool.query('select 1 from pg_roles where rolname = $1', [role])
      if (rowCount === 0) {
        return {
          ok: false,
          message: `${UNABLE} An exception happened so please check your connect parameters: ${params}. Exception: ERROR 42704 (undefined_object) role ${JSON.stringify(role)} does not exist`,
        }
      }
      roleChecked = true
    }
    const { rows } = await pool.query<{ oid: number; columns: string[]; types: string[] }>(
      `select c.oid::int as oid,
              array(select a.attname::text from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
              array(select a.atttypid::regtype::text from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as types
         from pg_publication_tables p
         join pg_namespace n on n.nspname = p.schemaname
         join pg_class c on c.relnamespace = n.oid and c.relname = p.tablename
        where p.pubname = $1 and ($2 = '*' or p.schemaname = $2) and ($3 = '*' or p.tablename = $3)`,
      [REALTIME_PUBLICATION, schema, table],
    )
    if (rows.length === 0) {
      return { ok: false, message: `${UNABLE} Please check Realtime is enabled for the given connect parameters: ${params}` }
    }
    for (const row of rows) {
      for (const condition of parsed.conditions) {
        const index = row.columns.indexOf(condition.column)
        if (index < 0) continue
        let problem: string | null
        try {
          problem = await checkCondition(pool, row.oid, condition, row.types[index] ?? 'text')
        } catch (error) {
          problem = describePgError(error)
        }
        if (problem !== null) {
          return { ok: false, message: `${UNABLE} An exception happened so please check your connect parameters: ${params}. Exception: ${problem}` }
        }
      }
      const known = new Set(row.columns)
      const badFilter = parsed.conditions.find((c) => !known.has(c.column))
      if (badFilter) {
        return {
          ok: false,
          message: `${UNABLE} An exception happened so please check your connect parameters: ${params}. Exception: ERROR P0001 (raise_exception) invalid column for filter ${badFilter.column}`,
        }
      }
      const badSelect = select?.find((column) => !known.has(column))
      if (badSelect) {
        return {
          ok: false,
          message: `${UNABLE} An exception happened so please check your connect parameters: ${params}. Exception: ERROR P0001 (raise_exception) invalid column for select ${badSelect}`,
        }
      }
    }
    active.push({ id: binding.id, event: normalizeEvent(binding.event), schema, table, conditions: parsed.conditions, select })
  }
  return { ok: true, bindings: active }
}
