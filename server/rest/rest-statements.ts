import { filterToSql, quoteIdentifier } from '../../filter'
import type { CallerQuery } from '../database-hooks'
import type { OrderItem, RestRequest } from './parse-rest-request'
import { RestError } from './rest-error'

/** The columns of a table, in order, and its primary key. */
export interface TableColumns {
  names: string[]
  primaryKey: string[]
}

/** Rows as PostgreSQL renders them to JSON (the text of a JSON array), and how many. */
export interface RowsResult {
  json: string
  count: number
}

const ALIAS = '_t'
const qualified = (name: string): string => `${ALIAS}.${quoteIdentifier(name)}`

/** Looks the table up (tables, views, materialized views, foreign and partitioned tables). */
export async function loadTableColumns(query: CallerQuery, schema: string, table: string): Promise<TableColumns> {
  const { rows } = await query(
    `select coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.attnum > 0 and not a.attisdropped), '{}') as names,
            coalesce((select array_agg(k.attname::text order by k.attnum) from pg_index i join pg_attribute k on k.attrelid = i.indrelid and k.attnum = any (i.indkey)
                       where i.indrelid = c.oid and i.indisprimary), '{}') as primary_key
       from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_attribute a on a.attrelid = c.oid
      where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'v', 'm', 'f', 'p')
      group by c.oid`,
    [schema, table],
  )
  const names = rows[0]?.names
  if (!Array.isArray(names)) {
    throw new RestError(404, 'PGRST205', `Could not find the table '${schema}.${table}' in the schema cache`, null, `Create it (create table ${schema}.${table} …), or check the name passed to from().`)
  }
  const primaryKey = rows[0]?.primary_key
  return { names: names as string[], primaryKey: Array.isArray(primaryKey) ? (primaryKey as string[]) : [] }
}

function unknownColumn(table: string, column: string): RestError {
  return new RestError(400, '42703', `column ${table}.${column} does not exist`, null, null)
}

/** Checks that every column the request names (select, filters, order) exists. */
export function checkColumns(request: RestRequest, columns: TableColumns): void {
  const known = new Set(columns.names)
  const named = [...(request.select ?? []).filter((item) => item.column !== '*').map((item) => item.column), ...request.filters.map((f) => f.column), ...request.order.map((o) => o.column)]
  for (const column of named) if (!known.has(column)) throw unknownColumn(request.table, column)
}

/** Checks the keys written by an insert or update. */
export function checkWriteColumns(request: RestRequest, columns: TableColumns, keys: string[]): void {
  const known = new Set(columns.names)
  for (const key of keys) {
    if (!known.has(key)) {
      throw new RestError(400, 'PGRST204', `Could not find the '${key}' column of '${request.table}' in the schema cache`, null, `Check the keys of the object you write; '${request.table}' has ${columns.names.join(', ')}.`)
    }
  }
}

const tableRef = (request: RestRequest): string => `${quoteIdentifier(request.schema)}.${quoteIdentifier(request.table)}`

function projection(request: RestRequest): string {
  if (request.select === null) return `${ALIAS}.*`
  return request.select.map((item) => (item.column === '*' ? `${ALIAS}.*` : `${qualified(item.column)} as ${quoteIdentifier(item.alias)}`)).join(', ')
}

function orderBy(order: OrderItem[]): string {
  if (order.length === 0) return ''
  const items = order.map((item) => {
    const nulls = item.nullsFirst === null ? '' : item.nullsFirst ? ' nulls first' : ' nulls last'
    return `${qualified(item.column)} ${item.descending ? 'desc' : 'asc'}${nulls}`
  })
  return ` order by ${items.join(', ')}`
}

/** `select` of the rows of `source` (aliased `_t`) as one JSON array, with the requested columns. */
function asJson(request: RestRequest, source: string): string {
  const row = request.stripNulls ? 'json_strip_nulls(row_to_json(_r))' : 'row_to_json(_r)'
  return `select coalesce(json_agg(${row}), '[]')::text as json, count(*)::int as count from (select ${projection(request)} from ${source}) _r`
}

function whereClause(request: RestRequest, params: unknown[]): string {
  return request.filters.length === 0 ? '' : ` where ${filterToSql(request.filters, params, qualified)}`
}

function rowsOf(rows: Array<Record<string, unknown>>): RowsResult {
  const first = rows[0] ?? {}
  return { json: typeof first.json === 'string' ? first.json : '[]', count: typeof first.count === 'number' ? first.count : 0 }
}

/** GET: the matching rows (ordered, limited) and, when asked, how many match in all. */
export async function selectRows(query: CallerQuery, request: RestRequest): Promise<RowsResult & { total: number | null }> {
  const params: unknown[] = []
  const where = whereClause(request, params)
  let page = ''
  if (request.limit !== null) page += ` limit ${request.limit}`
  if (request.offset > 0) page += ` offset ${request.offset}`
  const source = `(select ${ALIAS}.* from ${tableRef(request)} as ${ALIAS}${where}${orderBy(request.order)}${page}) as ${ALIAS}`
  const result = rowsOf((await query(asJson(request, source), params)).rows)
  let total: number | null = null
  if (request.count) {
    const { rows } = await query(`select count(*)::int as total from ${tableRef(request)} as ${ALIAS}${where}`, params)
    total = typeof rows[0]?.total === 'number' ? rows[0].total : 0
  }
  return { ...result, total }
}

/** Joins JSON array texts without parsing them (parsing would round big integers). */
function concatJsonArrays(parts: string[]): string {
  const inner = parts.map((part) => part.trim().slice(1, -1).trim()).filter((part) => part !== '')
  return `[${inner.join(',')}]`
}

/** `on conflict …` of an upsert: merge updates the written columns, ignore keeps the stored row. */
function conflictClause(request: RestRequest, columns: TableColumns, keys: string[]): string {
  if (request.resolution === null) return ''
  const target = request.onConflict ?? columns.primaryKey
  if (target.length === 0) {
    throw new RestError(400, 'PGRST127', 'Upsert on a table without a primary key is not supported by the local server.', null, 'Pass onConflict with the columns of a unique constraint.')
  }
  const updates = keys.filter((key) => !target.includes(key))
  const action = request.resolution === 'ignore' || updates.length === 0 ? 'do nothing' : `do update set ${updates.map((key) => `${quoteIdentifier(key)} = excluded.${quoteIdentifier(key)}`).join(', ')}`
  return ` on conflict (${target.map(quoteIdentifier).join(', ')}) ${action}`
}

/**
 * POST: inserts each object (keys as given; with `columns`, missing keys are NULL unless
 * `missing=default`); with a resolution, an upsert on `on_conflict` or the primary key.
 */
export async function insertRows(query: CallerQuery, request: RestRequest, columns: TableColumns, objects: Array<Record<string, unknown>>, returnRows: boolean): Promise<RowsResult> {
  const parts: string[] = []
  let count = 0
  for (const object of objects) {
    const keys = request.columns && !request.missingDefault ? request.columns : Object.keys(object).filter((key) => !request.columns || request.columns.includes(key))
    const list = keys.map(quoteIdentifier).join(', ')
    const values =
      (keys.length === 0 ? 'default values' : `(${list}) select ${list} from json_populate_record(null::${tableRef(request)}, $1::json)`) +
      conflictClause(request, columns, keys)
    const params = keys.length === 0 ? [] : [JSON.stringify(object)]
    if (returnRows) {
      const result = rowsOf((await query(`with ${ALIAS} as (insert into ${tableRef(request)} ${values} returning *) ${asJson(request, ALIAS)}`, params)).rows)
      parts.push(result.json)
      count += result.count
    } else {
      count += (await query(`insert into ${tableRef(request)} ${values}`, params)).rowCount
    }
  }
  return { json: concatJsonArrays(parts), count }
}

/** PATCH: sets the given keys on the matching rows. */
export async function updateRows(query: CallerQuery, request: RestRequest, object: Record<string, unknown>, returnRows: boolean): Promise<RowsResult> {
  const keys = Object.keys(object)
  if (keys.length === 0) return { json: '[]', count: 0 }
  const params: unknown[] = [JSON.stringify(object)]
  const assignments = keys.map((key) => `${quoteIdentifier(key)} = _src.${quoteIdentifier(key)}`).join(', ')
  const statement = `update ${tableRef(request)} as ${ALIAS} set ${assignments} from json_populate_record(null::${tableRef(request)}, $1::json) as _src${whereClause(request, params)}`
  if (!returnRows) return { json: '[]', count: (await query(statement, params)).rowCount }
  return rowsOf((await query(`with ${ALIAS} as (${statement} returning ${ALIAS}.*) ${asJson(request, ALIAS)}`, params)).rows)
}

/** DELETE: removes the matching rows. */
export async function deleteRows(query: CallerQuery, request: RestRequest, returnRows: boolean): Promise<RowsResult> {
  const params: unknown[] = []
  const statement = `delete from ${tableRef(request)} as ${ALIAS}${whereClause(request, params)}`
  if (!returnRows) return { json: '[]', count: (await query(statement, params)).rowCount }
  return rowsOf((await query(`with ${ALIAS} as (${statement} returning ${ALIAS}.*) ${asJson(request, ALIAS)}`, params)).rows)
}
