import type { Row } from './types'

/** Filter operators the Realtime server accepts (docs/realtime-protocol.md §5.2). */
export const FILTER_OPERATORS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct'] as const

/** A filter operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number]

/** One `column=[not.]op.value` condition. */
export interface FilterCondition {
  column: string
  op: FilterOperator
  negate: boolean
  /** The raw value; for `in`, the list of values. */
  value: string | string[]
}

/** Result of {@link parsePostgresFilter}: the conditions (all must hold), or a problem for the builder. */
export type ParsedFilter = { ok: true; conditions: FilterCondition[] } | { ok: false; message: string; fix: string }

const EXAMPLE = 'Write it as column=operator.value, e.g. room_id=eq.1 or status=in.(open,pending); join several with commas.'

/** Splits on commas that are not inside parentheses or double quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let current = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (ch === '\\' && quoted) {
      current += ch + (text[i + 1] ?? '')
      i++
      continue
    }
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === '(') depth++
    else if (!quoted && ch === ')') depth--
    if (ch === ',' && depth === 0 && !quoted) {
      parts.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  parts.push(current)
  return parts
}

function unquote(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1')
  return v
}

/** Parses a postgres changes filter such as `room_id=eq.1,status=in.(a,b)`. An empty filter has no conditions. */
export function parsePostgresFilter(filter: string): ParsedFilter {
  if (filter.trim() === '') return { ok: true, conditions: [] }
  const conditions: FilterCondition[] = []
  for (const segment of splitTopLevel(filter)) {
    if (segment.trim() === '') {
      return { ok: false, message: `The filter "${filter}" has an empty part (check for extra commas).`, fix: EXAMPLE }
    }
    const eq = segment.indexOf('=')
    if (eq <= 0) return { ok: false, message: `The filter part "${segment}" has no column name before "=".`, fix: EXAMPLE }
    const column = segment.slice(0, eq).trim()
    let rest = segment.slice(eq + 1)
    let negate = false
    if (rest.startsWith('not.')) {
      negate = true
      rest = rest.slice(4)
    }
    const dot = rest.indexOf('.')
    const op = (dot < 0 ? rest : rest.slice(0, dot)) as FilterOperator
    if (!FILTER_OPERATORS.includes(op)) {
      return {
        ok: false,
        message: `The filter part "${segment}" uses an unknown operator "${op}".`,
        fix: `Use one of ${FILTER_OPERATORS.join(', ')}. ${EXAMPLE}`,
      }
    }
    if (dot < 0) return { ok: false, message: `The filter part "${segment}" has no value after "${op}".`, fix: EXAMPLE }
    const raw = rest.slice(dot + 1)
    if (op === 'in') {
      const t = raw.trim()
      if (!t.startsWith('(') || !t.endsWith(')')) {
        return { ok: false, message: `The "in" filter "${segment}" must wrap its values in parentheses.`, fix: 'Write it as column=in.(a,b,c).' }
      }
      const values = splitTopLevel(t.slice(1, -1)).map(unquote)
      if (values.length > 100) return { ok: false, message: `The "in" filter "${segment}" has more than 100 values.`, fix: 'Use at most 100 values in an "in" filter.' }
      conditions.push({ column, op, negate, value: values })
      continue
    }
    const value = unquote(raw)
    if (op === 'is' && !['null', 'true', 'false', 'unknown'].includes(value.toLowerCase())) {
      return { ok: false, message: `The "is" filter "${segment}" only accepts null, true, false or unknown.`, fix: 'Write it as column=is.null, or use eq for other values.' }
    }
    conditions.push({ column, op, negate, value })
  }
  return { ok: true, conditions }
}

function compare(a: unknown, b: string): number | null {
  if (a === null || a === undefined) return null
  if (typeof a === 'number') {
    const n = Number(b)
    return Number.isNaN(n) ? null : a - n
  }
  if (typeof a === 'boolean') return String(a) === b.toLowerCase() ? 0 : 1
  const s = typeof a === 'string' ? a : JSON.stringify(a)
  // NOTE: ISO timestamps and numeric strings compare sensibly as numbers or strings.
  const an = Number(s)
  const bn = Number(b)
  if (s.trim() !== '' && b.trim() !== '' && !Number.isNaN(an) && !Number.isNaN(bn)) return an - bn
  return s < b ? -1 : s > b ? 1 : 0
}

function likeToRegExp(pattern: string, flags: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[%*]/g, '.*').replace(/_/g, '.')
  return new RegExp(`^${escaped}$`, flags)
}

function holds(row: Row, c: FilterCondition): boolean {
  const cell = row[c.column]
  const v = c.value
  switch (c.op) {
    case 'eq':
      return compare(cell, v as string) === 0
    case 'neq':
      return cell !== null && cell !== undefined && compare(cell, v as string) !== 0
    case 'lt': {
      const r = compare(cell, v as string)
      return r !== null && r < 0
    }
    case 'lte': {
      const r = compare(cell, v as string)
      return r !== null && r <= 0
    }
    case 'gt': {
      const r = compare(cell, v as string)
      return r !== null && r > 0
    }
    case 'gte': {
      const r = compare(cell, v as string)
      return r !== null && r >= 0
    }
    case 'in':
      return (v as string[]).some((item) => compare(cell, item) === 0)
    case 'like':
      return typeof cell === 'string' && likeToRegExp(v as string, '').test(cell)
    case 'ilike':
      return typeof cell === 'string' && likeToRegExp(v as string, 'i').test(cell)
    case 'match':
      return typeof cell === 'string' && new RegExp(v as string).test(cell)
    case 'imatch':
      return typeof cell === 'string' && new RegExp(v as string, 'i').test(cell)
    case 'is': {
      const want = (v as string).toLowerCase()
      if (want === 'null' || want === 'unknown') return cell === null || cell === undefined
      return cell === (want === 'true')
    }
    case 'isdistinct':
      return compare(cell, v as string) !== 0
  }
}

/** Whether a row satisfies every condition. A row missing a filtered column does not match. */
export function rowMatchesFilter(row: Row, conditions: readonly FilterCondition[]): boolean {
  for (const c of conditions) {
    if (!(c.column in row)) return false
    const ok = holds(row, c)
    if (c.negate ? ok : !ok) return false
  }
  return true
}
