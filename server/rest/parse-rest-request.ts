import { parseCondition, type FilterCondition } from '../../filter'
import { parseError, RestError, unsupported } from './rest-error'

/** One output column of `select=`: `column` or `alias:column` (`*` for every column, beside named ones). */
export interface SelectItem {
  column: string
  alias: string
}

/** One `order=` item: `column[.asc|.desc][.nullsfirst|.nullslast]`. */
export interface OrderItem {
  column: string
  descending: boolean
  /** null: PostgreSQL's default (NULLS LAST ascending, NULLS FIRST descending). */
  nullsFirst: boolean | null
}

/** What a `/rest/v1/<table>` request asks for, read from its query string and headers. */
export interface RestRequest {
  table: string
  schema: string
  /** null means `*`. */
  select: SelectItem[] | null
  filters: FilterCondition[]
  order: OrderItem[]
  limit: number | null
  offset: number
  /** `Prefer: count=exact|planned|estimated` (all counted exactly here). */
  count: boolean
  /** `Prefer: return=representation`. */
  returnRows: boolean
  /** `Accept: application/vnd.pgrst.object+json` (`.single()`). */
  single: boolean
  /** `nulls=stripped` in Accept. */
  stripNulls: boolean
  /** `columns=` of an insert: the keys to take from each object. */
  columns: string[] | null
  /** `Prefer: missing=default`: keys missing from an object take the column default (else NULL). */
  missingDefault: boolean
  /** Upsert: `Prefer: resolution=merge-duplicates` (update) or `ignore-duplicates` (keep), else `null`. */
  resolution: 'merge' | 'ignore' | null
  /** Upsert: `on_conflict=` columns, or `null` for the primary key. */
  onConflict: string[] | null
}

/** The schemas the API exposes, as a Supabase project does by default. */
export const EXPOSED_SCHEMAS = ['public']

/** Query parameters that are not filters (`apikey` is read by the gateway). */
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'apikey'])
const LOGIC = new Set(['or', 'and', 'not.or', 'not.and'])
const UNSUPPORTED_OPERATORS: Record<string, string> = {
  fts: 'Full-text search (fts)',
  plfts: 'Full-text search (plfts)',
  phfts: 'Full-text search (phfts)',
  wfts: 'Full-text search (wfts)',
  cs: 'The array/range operator cs (contains)',
  cd: 'The array/range operator cd (contained in)',
  ov: 'The array/range operator ov (overlaps)',
  sl: 'The range operator sl',
  sr: 'The range operator sr',
  nxl: 'The range operator nxl',
  nxr: 'The range operator nxr',
  adj: 'The range operator adj',
}
/** `col`, or a quoted `"my col"`; nothing that selects JSON paths, casts or embeds other tables. */
const PLAIN_NAME = /^(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")$/

function unquoteName(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name
}

/** Splits on commas outside double quotes and parentheses. */
function splitList(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let current = ''
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && char === '(') depth++
    else if (!quoted && char === ')') depth--
    if (!quoted && depth === 0 && char === ',') {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts
}

function parseSelect(text: string): SelectItem[] | null {
  const items: SelectItem[] = []
  for (const raw of splitList(text.trim() === '' ? '*' : text)) {
    const part = raw.trim()
    if (part === '*') {
      items.push({ column: '*', alias: '*' })
      continue
    }
    if (part.includes('(')) throw unsupported('Embedding related tables or aggregates in `select`', `"${part}" in select=${text}`)
    if (part.includes('->')) throw unsupported('Selecting JSON paths (->, ->>)', `"${part}" in select=${text}`)
    if (part.includes('::')) throw unsupported('Casts in `select` (::type)', `"${part}" in select=${text}`)
    const colon = part.indexOf(':')
    const alias = colon >= 0 ? part.slice(0, colon) : part
    const column = colon >= 0 ? part.slice(colon + 1) : part
    if (!PLAIN_NAME.test(column) || !PLAIN_NAME.test(alias)) {
      throw parseError(`"failed to parse select parameter (${text})"`, `"${part}" is not a column name`, 'Write select=column1,column2 or alias:column, or * for every column.')
    }
    items.push({ column: unquoteName(column), alias: unquoteName(alias) })
  }
  return items.length === 1 && items[0]?.column === '*' ? null : items
}

function parseOrder(text: string): OrderItem[] {
  return splitList(text).map((raw) => {
    const part = raw.trim()
    const pieces = part.split('.')
    const modifiers = pieces.slice(1)
    const column = pieces[0] ?? ''
    let descending = false
    let nullsFirst: boolean | null = null
    const bad = (): RestError =>
      parseError(`"failed to parse order (${text})"`, `unexpected "${part}"`, 'Write order=column, order=column.desc or order=column.asc.nullslast; separate several with commas.')
    if (!PLAIN_NAME.test(column) || modifiers.length > 2) throw bad()
    for (const modifier of modifiers) {
      if (modifier === 'asc') descending = false
      else if (modifier === 'desc') descending = true
      else if (modifier === 'nullsfirst') nullsFirst = true
      else if (modifier === 'nullslast') nullsFirst = false
      else throw bad()
    }
    return { column: unquoteName(column), descending, nullsFirst }
  })
}

function parseCount(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw parseError(`"failed to parse ${name} parameter (${text})"`, `${name} must be a whole number of rows`, `Write e.g. ${name}=10.`)
  return Number(text)
}

/** One `column=op.value` query parameter as a filter condition, through the shared filter module. */
function parseFilterParam(column: string, expression: string): FilterCondition {
  const bare = expression.startsWith('not.') ? expression.slice(4) : expression
  const op = /^[a-z]+/.exec(bare)?.[0] ?? ''
  const unsupportedOperator = UNSUPPORTED_OPERATORS[op]
  if (unsupportedOperator) throw unsupported(unsupportedOperator, `${column}=${expression}`)
  if (/^[a-z]+\((?:any|all)\)/.test(bare)) throw unsupported('Operator modifiers (any)/(all)', `${column}=${expression}`)
  const parsed = parseCondition(column, expression)
  if (!parsed.ok) throw parseError(`"failed to parse filter (${expression})"`, parsed.error.message, parsed.error.fix)
  const condition = parsed.condition
  // NOTE: in URLs PostgREST reads `*` in like/ilike patterns as `%`.
  if (condition.op === 'like' || condition.op === 'ilike') return { ...condition, value: condition.value.replace(/\*/g, '%') }
  return condition
}

function preferences(header: string | string[] | undefined): Map<string, string> {
  const found = new Map<string, string>()
  const text = Array.isArray(header) ? header.join(',') : (header ?? '')
  for (const item of text.split(',')) {
    const [key, value] = item.split('=').map((piece) => piece.trim())
    if (key) found.set(key, value ?? '')
  }
  return found
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const value = headers[name]
  return Array.isArray(value) ? value.join(',') : (value ?? '')
}

/** `Range: 0-9` (items): offset 0, limit 10. */
function parseRangeHeader(text: string): { offset: number; limit: number | null } | null {
  const match = /^(?:items=)?\s*(\d+)-(\d*)\s*$/.exec(text)
  if (!match) return null
  const from = Number(match[1])
  if (match[2] === '') return { offset: from, limit: null }
  const to = Number(match[2])
  if (to < from) throw new RestError(416, 'PGRST103', 'Requested range not satisfiable', `The Range header ${text} ends before it starts.`, null)
  return { offset: from, limit: to - from + 1 }
}

/**
 * Reads a REST request the way PostgREST does, for the subset this server answers; throws a
 * {@link RestError} naming what it cannot read or does not support.
 */
export function parseRestRequest(method: string, table: string, query: URLSearchParams, headers: Record<string, string | string[] | undefined>): RestRequest {
  const reading = method === 'GET' || method === 'HEAD'
  const schema = header(headers, reading ? 'accept-profile' : 'content-profile') || 'public'
  if (!EXPOSED_SCHEMAS.includes(schema)) {
    throw new RestError(406, 'PGRST106', `The schema must be one of the following: ${EXPOSED_SCHEMAS.join(', ')}`, null, 'The local server exposes the public schema only.')
  }
  const prefer = preferences(headers.prefer)
  const accept = header(headers, 'accept')
  const request: RestRequest = {
    table,
    schema,
    select: null,
    filters: [],
    order: [],
    limit: null,
    offset: 0,
    count: prefer.has('count'),
    returnRows: prefer.get('return') === 'representation',
    single: accept.includes('application/vnd.pgrst.object+json'),
    stripNulls: accept.includes('nulls=stripped'),
    columns: null,
    missingDefault: prefer.get('missing') === 'default',
    resolution: null,
    onConflict: null,
  }
  const resolution = prefer.get('resolution')
  if (resolution === 'merge-duplicates') request.resolution = 'merge'
  else if (resolution === 'ignore-duplicates') request.resolution = 'ignore'
  else if (resolution !== undefined) throw parseError(`"failed to parse Prefer: resolution=${resolution}"`, null, 'Use resolution=merge-duplicates or resolution=ignore-duplicates.')
  if (accept.includes('text/csv')) throw unsupported('CSV output')
  if (accept.includes('vnd.pgrst.plan')) throw unsupported('explain()')
  for (const [key, value] of query) {
    if (key === 'select') request.select = parseSelect(value)
    else if (key === 'order') request.order = parseOrder(value)
    else if (key === 'limit') request.limit = parseCount('limit', value)
    else if (key === 'offset') request.offset = parseCount('offset', value)
    else if (key === 'columns') request.columns = splitList(value).map((name) => unquoteName(name.trim()))
    else if (key === 'on_conflict') request.onConflict = splitList(value).map((name) => unquoteName(name.trim()))
    else if (LOGIC.has(key)) throw unsupported(`Logical filters (${key}=…)`, `${key}=${value}`)
    else if (key.endsWith('.or') || key.endsWith('.and') || key.includes('.')) {
      throw unsupported('Filters, order or limits on embedded resources', `${key}=${value}`)
    } else if (!RESERVED.has(key)) request.filters.push(parseFilterParam(key, value))
  }
  const range = parseRangeHeader(header(headers, 'range'))
  if (range && reading) {
    // NOTE: a Range header and limit/offset together: the rows both allow.
    const start = Math.max(request.offset, range.offset)
    const ends = [request.limit === null ? null : request.offset + request.limit, range.limit === null ? null : range.offset + range.limit].filter((end): end is number => end !== null)
    request.offset = start
    request.limit = ends.length === 0 ? null : Math.max(0, Math.min(...ends) - start)
  }
  return request
}

