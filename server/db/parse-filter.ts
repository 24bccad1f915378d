/** Operators of a `postgres_changes` filter (docs/realtime-protocol.md §5.2). */
export const FILTER_OPERATORS = [
  'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct',
] as const

export type FilterOperator = (typeof FILTER_OPERATORS)[number]

/** One `column=[not.]op.value` condition; a filter is the AND of its conditions. */
export interface FilterCondition {
  column: string
  op: FilterOperator
  negate: boolean
  /** The unquoted value; for `in`, the unquoted list items. For `is`: `null|true|false|unknown`. */
  value: string
  values?: string[]
}

export type ParseFilterResult =
  | { ok: true; conditions: FilterCondition[] }
  | { ok: false; message: string }

/** Most values an `in` filter may list. */
export const MAX_IN_VALUES = 100

const PREFIX = 'Error parsing `filter` params: '

/** Renders a list of strings as the server logs it (`["a", "b"]`). */
export function inspectStrings(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`
}

/** Splits on `separator` outside parentheses and double quotes (backslash escapes a character). */
export function splitTopLevel(input: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let current = ''
  for (let i = 0; i < input.length; i++) {
    const char = input[i] as string
    if (quoted && char === '\\' && i + 1 < input.length) {
      current += char + (input[i + 1] as string)
      i++
      continue
    }
    if (char === '"') quoted = !quoted
    else if (!quoted && char === '(') depth++
    else if (!quoted && char === ')' && depth > 0) depth--
    if (char === separator && !quoted && depth === 0) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts
}

/** Removes surrounding double quotes and backslash escapes; other values are returned trimmed of nothing. */
export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    let out = ''
    const inner = value.slice(1, -1)
    for (let i = 0; i < inner.length; i++) {
      const char = inner[i] as string
      if (char === '\\' && i + 1 < inner.length) {
        out += inner[i + 1] as string
        i++
      } else {
        out += char
      }
    }
    return out
  }
  return value
}

/** An item of a PostgreSQL array literal, quoted only when it has to be. */
function arrayItem(item: string): string {
  return item === '' || /[,{}"\\\s]/.test(item) ? `"${item.replace(/(["\\])/g, '\\$1')}"` : item
}

function isOperator(op: string): op is FilterOperator {
  return (FILTER_OPERATORS as readonly string[]).includes(op)
}

function parseCondition(segment: string): FilterCondition | string {
  const eq = segment.indexOf('=')
  if (eq <= 0) return PREFIX + inspectStrings(segment.split('='))
  const column = unquote(segment.slice(0, eq).trim())
  let rest = segment.slice(eq + 1)
  let negate = false
  if (rest.startsWith('not.')) {
    negate = true
    rest = rest.slice(4)
  }
  const dot = rest.indexOf('.')
  const op = (dot < 0 ? rest : rest.slice(0, dot)).toLowerCase()
  if (dot < 0 || !isOperator(op) || column === '') return PREFIX + inspectStrings([column, segment.slice(eq + 1)])
  const raw = rest.slice(dot + 1)
  if (op === 'in') {
    const trimmed = raw.trim()
    if (!trimmed.startsWith('(') || !trimmed.endsWith(')')) return PREFIX + '`in` filter value must be wrapped by parentheses'
    const inner = trimmed.slice(1, -1)
    const values = inner.trim() === '' ? [] : splitTopLevel(inner, ',').map((item) => unquote(item.trim()))
    return { column, op, negate, value: `{${values.map(arrayItem).join(',')}}`, values }
  }
  if (op === 'is') {
    const value = raw.trim().toLowerCase()
    if (!['null', 'true', 'false', 'unknown'].includes(value)) {
      return PREFIX + '`is` filter value must be one of null, true, false or unknown'
    }
    return { column, op, negate, value }
  }
  return { column, op, negate, value: unquote(raw) }
}

/**
 * Parses the `filter` of a `postgres_changes` binding: `column=[not.]op.value` conditions joined by
 * commas (AND). Commas inside parentheses or double quotes do not split. Empty means no filter.
 */
export function parseFilter(filter: string | null | undefined): ParseFilterResult {
  if (filter === null || filter === undefined || filter.trim() === '') return { ok: true, conditions: [] }
  const segments = splitTopLevel(filter, ',')
  const conditions: FilterCondition[] = []
  for (const segment of segments) {
    if (segment.trim() === '') {
      return { ok: false, message: PREFIX + 'filter must not contain empty segments (check for extra commas)' }
    }
    const parsed = parseCondition(segment.trim())
    if (typeof parsed === 'string') return { ok: false, message: parsed }
    conditions.push(parsed)
  }
  return { ok: true, conditions }
}
