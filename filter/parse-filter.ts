import { FilterError, type FilterErrorCode } from './filter-error'
import { parseInList } from './parse-in-list'
import { FILTER_OPERATORS, IS_VALUES, MAX_IN_VALUES, type FilterCondition, type FilterOperator } from './types'

/** Result of {@link parseFilter}. */
export type ParseFilterResult = { ok: true; conditions: FilterCondition[] } | { ok: false; error: FilterError }

/** Parser options. */
export interface ParseFilterOptions {
  /** Most items an `in` list may hold. @default 100 (the Supabase limit) */
  maxInValues?: number
}

/** Result of {@link parseCondition}. */
export type ParseConditionResult = { ok: true; condition: FilterCondition } | { ok: false; error: FilterError }

/**
 * Splits a filter on top-level commas, as Supabase does: commas inside parentheses or inside a
 * double-quoted value do not split. A double quote opens a quoted value only right after `.`,
 * `(` or `,`; inside one, a backslash escapes the next character.
 */
export function splitTopLevel(filter: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let prev = ''
  let current = ''
  for (let i = 0; i < filter.length; i++) {
    let char = filter[i] as string
    if (quoted) {
      if (char === '\\' && i + 1 < filter.length) char += filter[++i] as string
      else if (char === '"') quoted = false
    } else if (char === '"' && prev !== '' && '.(,'.includes(prev)) quoted = true
    else if (char === '(') depth++
    else if (char === ')') depth = Math.max(0, depth - 1)
    else if (char === ',' && depth === 0) {
      parts.push(current)
      current = prev = ''
      continue
    }
    current += char
    prev = char.slice(-1)
  }
  parts.push(current)
  return parts
}

/**
 * A value wrapped in double quotes loses them and its backslash escapes (`"a\"b"` → `a"b`). A value
 * that is not exactly one quoted string (e.g. `"a"b"` or `"abc`) is kept verbatim, as Supabase does.
 */
export function unquoteValue(value: string): string {
  const quoted = /^"((?:[^"\\]|\\[\s\S])*)"$/.exec(value)
  return quoted ? (quoted[1] as string).replace(/\\([\s\S])/g, '$1') : value
}

const isOperator = (op: string): op is FilterOperator => (FILTER_OPERATORS as readonly string[]).includes(op)

/**
 * Parses the `[not.]op.value` part of one condition on `column` (also the grammar of a
 * PostgREST-style `?column=op.value` query parameter).
 */
export function parseCondition(column: string, expression: string, options: ParseFilterOptions = {}): ParseConditionResult {
  const fail = (code: FilterErrorCode, problem: string, facts: readonly string[], fix?: string): ParseConditionResult => ({
    ok: false,
    error: new FilterError(code, `The filter part "${column}=${expression}" ${problem}.`, facts, fix),
  })
  // NOTE: where the server's own words are plain enough, the message says them too.
  const invalid = (code: FilterErrorCode, reason: string): ParseConditionResult => fail(code, `is invalid: ${reason}`, [reason])
  if (column === '') return fail('FILTER_NO_COLUMN', 'has no column name before "="', [column, expression])
  if (column.trim() !== column) return fail('FILTER_COLUMN_SPACES', `has spaces around the column name "${column}"`, [column])
  const negate = expression.startsWith('not.')
  const rest = negate ? expression.slice(4) : expression
  const dot = rest.indexOf('.')
  const op = dot < 0 ? rest : rest.slice(0, dot)
  const value = rest.slice(dot + 1)
  if (!isOperator(op)) {
    const facts = dot < 0 ? [rest] : [op, value]
    if (isOperator(op.toLowerCase()) || (!negate && rest.toLowerCase().startsWith('not.'))) {
      return fail('FILTER_UPPERCASE_OPERATOR', `writes its operator in upper case ("${op}")`, facts)
    }
    if (rest === '') return fail('FILTER_NO_VALUE', 'has no operator after "="', facts, `Write an operator and a value after "=", e.g. room_id=eq.1 (operators: ${FILTER_OPERATORS.join(', ')}).`)
    return fail('FILTER_UNKNOWN_OPERATOR', `uses an unknown operator "${op}"`, facts)
  }
  if (dot < 0) return fail('FILTER_NO_VALUE', `has no value after "${op}"`, [rest])
  if (op === 'in') {
    const inner = value.slice(1, -1)
    const literal = `{${inner}}`
    if (value.length < 2 || value[0] !== '(' || !value.endsWith(')')) {
      return invalid('FILTER_IN_PARENTHESES', '`in` filter value must be wrapped by parentheses')
    }
    const values = parseInList(inner)
    if (typeof values === 'string') return fail('FILTER_IN_MALFORMED', `has an unreadable "in" list: ${values}`, [literal])
    if (values.length > (options.maxInValues ?? MAX_IN_VALUES)) {
      return fail('FILTER_IN_TOO_MANY', `lists ${values.length} "in" values; at most ${MAX_IN_VALUES} are allowed`, [])
    }
    return { ok: true, condition: { column, op, negate, value: literal, values } }
  }
  const unquoted = unquoteValue(value)
  if (op === 'is' && !(IS_VALUES as readonly string[]).includes(unquoted)) {
    return invalid('FILTER_IS_VALUE', '`is` filter value must be one of null, true, false or unknown')
  }
  if (op.endsWith('like') && endsWithEscape(unquoted)) {
    return invalid('FILTER_LIKE_ESCAPE', 'LIKE pattern must not end with escape character')
  }
  return { ok: true, condition: { column, op, negate, value: unquoted } }
}

/** Whether a LIKE pattern ends with an unpaired backslash (PostgreSQL rejects it): an odd run of them at the end. */
function endsWithEscape(pattern: string): boolean {
  return /(^|[^\\])(\\\\)*\\$/.test(pattern)
}

/**
 * Parses the `filter` of a `postgres_changes` binding the way the Supabase Realtime server does:
 * `column=[not.]op.value` conditions joined by commas (AND). Empty or blank means no filter.
 */
export function parseFilter(filter: string | null | undefined, options: ParseFilterOptions = {}): ParseFilterResult {
  const conditions: FilterCondition[] = []
  const trimmed = filter?.trim()
  if (!trimmed) return { ok: true, conditions }
  for (const raw of splitTopLevel(trimmed)) {
    const segment = raw.trim()
    const eq = segment.indexOf('=')
    if (eq < 0) {
      const error = segment === ''
        ? new FilterError('FILTER_EMPTY_PART', `The filter "${filter}" has an empty part (check for extra commas).`, [])
        : new FilterError('FILTER_NO_EQUALS', `The filter part "${segment}" has no "=" after the column.`, [segment])
      return { ok: false, error }
    }
    const parsed = parseCondition(segment.slice(0, eq), segment.slice(eq + 1), options)
    if (!parsed.ok) return parsed
    conditions.push(parsed.condition)
  }
  return { ok: true, conditions }
}
