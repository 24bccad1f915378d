import { FilterError } from './filter-error'
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

/** Renders strings the way the Supabase server prints a list in its errors (`["a", "b"]`). */
export function inspectStrings(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`
}

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
    const char = filter[i] as string
    if (quoted) {
      if (char === '\\' && i + 1 < filter.length) {
        current += char + (filter[i + 1] as string)
        prev = filter[i + 1] as string
        i++
        continue
      }
      if (char === '"') quoted = false
      current += char
      prev = char
      continue
    }
    if (char === '"' && (prev === '.' || prev === '(' || prev === ',')) quoted = true
    else if (char === '(') depth++
    else if (char === ')') depth = Math.max(0, depth - 1)
    else if (char === ',' && depth === 0) {
      parts.push(current)
      current = ''
      prev = ''
      continue
    }
    current += char
    prev = char
  }
  parts.push(current)
  return parts
}

/**
 * A value wrapped in double quotes loses them and its backslash escapes (`"a\"b"` → `a"b`). A value
 * that is not exactly one quoted string (e.g. `"a"b"` or `"abc`) is kept verbatim, as Supabase does.
 */
export function unquoteValue(value: string): string {
  if (!value.startsWith('"')) return value
  let out = ''
  for (let i = 1; i < value.length; i++) {
    const char = value[i] as string
    if (char === '\\' && i + 1 < value.length) {
      out += value[i + 1] as string
      i++
    } else if (char === '"') {
      return i === value.length - 1 ? out : value
    } else {
      out += char
    }
  }
  return value
}

function isOperator(op: string): op is FilterOperator {
  return (FILTER_OPERATORS as readonly string[]).includes(op)
}

function describePart(column: string, expression: string): string {
  return `${column}=${expression}`
}

/**
 * Parses the `[not.]op.value` part of one condition on `column` (also the grammar of a
 * PostgREST-style `?column=op.value` query parameter).
 */
export function parseCondition(column: string, expression: string, options: ParseFilterOptions = {}): ParseConditionResult {
  const part = describePart(column, expression)
  const fail = (error: FilterError): ParseConditionResult => ({ ok: false, error })
  if (column === '') {
    return fail(new FilterError('FILTER_NO_COLUMN', `The filter part "${part}" has no column name before "=".`, inspectStrings([column, expression])))
  }
  if (column.trim() !== column) {
    return fail(new FilterError('FILTER_COLUMN_SPACES', `The column name "${column}" in the filter part "${part}" starts or ends with a space.`, `invalid column for filter ${column}`))
  }
  let rest = expression
  let negate = false
  if (rest.startsWith('not.')) {
    negate = true
    rest = rest.slice(4)
  }
  const dot = rest.indexOf('.')
  const op = dot < 0 ? rest : rest.slice(0, dot)
  const value = dot < 0 ? '' : rest.slice(dot + 1)
  if (!isOperator(op)) {
    const reason = inspectStrings(dot < 0 ? [rest] : [op, value])
    if (isOperator(op.toLowerCase()) || (!negate && rest.toLowerCase().startsWith('not.'))) {
      return fail(new FilterError('FILTER_UPPERCASE_OPERATOR', `The filter part "${part}" writes its operator in upper case ("${op}").`, reason))
    }
    if (dot < 0 && op === '') {
      return fail(new FilterError('FILTER_NO_VALUE', `The filter part "${part}" has no operator after "=".`, reason, filterFixUnknown()))
    }
    return fail(new FilterError('FILTER_UNKNOWN_OPERATOR', `The filter part "${part}" uses an unknown operator "${op}".`, reason))
  }
  if (dot < 0) {
    return fail(new FilterError('FILTER_NO_VALUE', `The filter part "${part}" has no value after "${op}".`, inspectStrings([rest])))
  }
  if (op === 'in') {
    if (value.length < 2 || !value.startsWith('(') || !value.endsWith(')')) {
      return fail(new FilterError('FILTER_IN_PARENTHESES', `The "in" filter "${part}" must wrap its values in parentheses.`, '`in` filter value must be wrapped by parentheses'))
    }
    const literal = `{${value.slice(1, -1)}}`
    const values = parseInList(value.slice(1, -1))
    if (typeof values === 'string') {
      return fail(new FilterError('FILTER_IN_MALFORMED', `The "in" filter "${part}" cannot be read: ${values}.`, `malformed array literal: ${JSON.stringify(literal)}`))
    }
    if (values.length > (options.maxInValues ?? MAX_IN_VALUES)) {
      return fail(new FilterError('FILTER_IN_TOO_MANY', `The "in" filter "${part}" lists ${values.length} values; at most ${MAX_IN_VALUES} are allowed.`, `too many values for \`in\` filter. Maximum ${MAX_IN_VALUES}`))
    }
    return { ok: true, condition: { column, op, negate, value: literal, values } }
  }
  const unquoted = unquoteValue(value)
  if (op === 'is' && !(IS_VALUES as readonly string[]).includes(unquoted)) {
    return fail(new FilterError('FILTER_IS_VALUE', `The "is" filter "${part}" only accepts null, true, false or unknown (lower case), but got "${unquoted}".`, '`is` filter value must be one of null, true, false or unknown'))
  }
  if ((op === 'like' || op === 'ilike') && endsWithEscape(unquoted)) {
    return fail(new FilterError('FILTER_LIKE_ESCAPE', `The pattern of the filter part "${part}" ends with a lone backslash.`, 'LIKE pattern must not end with escape character'))
  }
  return { ok: true, condition: { column, op, negate, value: unquoted } }
}

function filterFixUnknown(): string {
  return 'Write an operator and a value after "=", e.g. room_id=eq.1 (operators: eq, neq, lt, lte, gt, gte, in, like, ilike, is, match, imatch, isdistinct).'
}

/** Whether a LIKE pattern ends with an unpaired backslash (PostgreSQL rejects it). */
function endsWithEscape(pattern: string): boolean {
  let i = 0
  let lone = false
  while (i < pattern.length) {
    if (pattern[i] === '\\') {
      lone = i === pattern.length - 1
      i += 2
    } else {
      i++
    }
  }
  return lone
}

/**
 * Parses the `filter` of a `postgres_changes` binding the way the Supabase Realtime server does:
 * `column=[not.]op.value` conditions joined by commas (AND). Empty or blank means no filter.
 */
export function parseFilter(filter: string | null | undefined, options: ParseFilterOptions = {}): ParseFilterResult {
  if (filter === null || filter === undefined) return { ok: true, conditions: [] }
  const trimmed = filter.trim()
  if (trimmed === '') return { ok: true, conditions: [] }
  const conditions: FilterCondition[] = []
  for (const raw of splitTopLevel(trimmed)) {
    const segment = raw.trim()
    if (segment === '') {
      return {
        ok: false,
        error: new FilterError('FILTER_EMPTY_PART', `The filter "${filter}" has an empty part (check for extra commas).`, 'filter must not contain empty segments (check for extra commas)'),
      }
    }
    const eq = segment.indexOf('=')
    if (eq < 0) {
      return { ok: false, error: new FilterError('FILTER_NO_EQUALS', `The filter part "${segment}" has no "=" between the column and the operator.`, inspectStrings([segment])) }
    }
    const parsed = parseCondition(segment.slice(0, eq), segment.slice(eq + 1), options)
    if (!parsed.ok) return parsed
    conditions.push(parsed.condition)
  }
  return { ok: true, conditions }
}
