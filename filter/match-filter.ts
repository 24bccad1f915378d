import { asciiLower, isAscii, likeMatches } from './like-pattern'
import { compareDecimal, compareValues, parseBool, parseDecimal, type Decimal } from './parse-values'
import type { FilterCondition, FilterVerdict } from './types'

/**
 * How a cell is compared. With a column type (the server reads text values from the replication
 * stream), the type decides. Without one (the plugin sees the JSON a client receives), the JSON type
 * decides: numbers compare as decimals, booleans as booleans, and a string only by identity, since
 * it may be text, a uuid, a timestamp, an enum or a case-insensitive type.
 */
export type Kind =
  | 'decimal'
  | 'float8'
  | 'float4'
  | 'bool'
  | 'timestamptz'
  | 'timestamp'
  | 'date'
  | 'time'
  | 'uuid'
  | 'text'
  | 'bpchar'
  | 'enum'
  | 'json-number'
  | 'json-string'
  | 'opaque'

/** SQL three-valued truth of one condition, or `undecided` when JavaScript cannot tell exactly. */
type Truth = true | false | 'sql-null' | 'undecided'

/**
 * Whether a JSON number compares the same as a decimal whatever the column's number type is: up to
 * six significant digits (distinct in `real`), or an integer below 10^7 (exact in `real`).
 */
function exactInEveryNumberType(decimal: Decimal): boolean {
  return decimal.digits.length <= 6 || (decimal.exponent >= decimal.digits.length && decimal.exponent <= 7)
}

/** Words some types read as special values (timestamps, floats), so spelling differences may still be equal. */
const SPECIAL_WORDS = new Set(['inf', 'infinity', 'nan', 'epoch', 'now', 'today', 'tomorrow', 'yesterday', 'allballs'])

/** ASCII letters in words separated by single spaces, not a special value: no type reads it other than as its letters. */
function isPlainWord(text: string): boolean {
  return /^[A-Za-z_]+( [A-Za-z_]+)*$/.test(text) && !SPECIAL_WORDS.has(text.toLowerCase())
}

function cellText(cell: unknown): string | null {
  if (typeof cell === 'string') return cell
  return typeof cell === 'number' || typeof cell === 'boolean' || typeof cell === 'bigint' ? String(cell) : null
}

/** Compares two values: negative, zero, positive; `null` when undecided. `order`: the sign matters, not only equality. */
export type Comparer = (a: string, b: string, order: boolean) => number | null

/** How the cells of one column are compared: their kind and its comparer. */
export interface CellReading {
  kind: Kind
  compare: Comparer
}

/** Compares what `read` makes of both values; `null` when it cannot read one. */
export function by<T>(read: (text: string) => T | null, order: (x: T, y: T) => number): Comparer {
  return (a, b) => {
    const x = read(a)
    const y = read(b)
    return x === null || y === null ? null : order(x, y)
  }
}

/** Booleans in any of PostgreSQL's spellings (`t`, `yes`, `on`, `1`…). */
export const BOOL: CellReading = {
  kind: 'bool',
  compare: by((value) => {
    const bool = parseBool(value)
    return bool === null ? null : Number(bool)
  }, compareValues),
}

const OPAQUE: CellReading = { kind: 'opaque', compare: () => null }

/** The reading of a JSON cell, as a client receives it: its JSON type decides. */
const JSON_READINGS = {
  number: {
    kind: 'json-number',
    compare: by((value) => {
      const decimal = parseDecimal(value)
      return decimal && exactInEveryNumberType(decimal) ? decimal : null
    }, compareDecimal),
  },
  boolean: BOOL,
  // NOTE: two plain words that differ beyond ASCII case are unequal in every type a string can come from.
  string: {
    kind: 'json-string',
    compare: (a, b, order) => (a === b ? 0 : !order && isPlainWord(a) && isPlainWord(b) && asciiLower(a) !== asciiLower(b) ? 1 : null),
  },
} satisfies Record<string, CellReading>

/** How a JSON cell compares (numbers that are not finite, objects, arrays: undecided). */
export function jsonReading(cell: unknown): CellReading {
  if (typeof cell === 'number' && !Number.isFinite(cell)) return OPAQUE
  return (JSON_READINGS as Record<string, CellReading>)[typeof cell] ?? OPAQUE
}

/** The signs of a comparison each comparison operator accepts. */
const ACCEPTED_SIGNS: Record<string, string> = { eq: '0', neq: '-+', lt: '-', lte: '-0', gt: '+', gte: '0+' }

function compareTruth(op: FilterCondition['op'], result: number | null): Truth {
  return result === null ? 'undecided' : (ACCEPTED_SIGNS[op] ?? '').includes('-0+'[Math.sign(result) + 1] as string)
}

function likeTruth(kind: Kind, text: string, pattern: string, caseInsensitive: boolean): Truth {
  if (kind !== 'text' && kind !== 'bpchar' && kind !== 'json-string') return 'undecided'
  const ascii = isAscii(text) && isAscii(pattern)
  // NOTE: ILIKE folds case with the column's locale; only ASCII folds the same everywhere.
  if (caseInsensitive) return ascii ? likeMatches(asciiLower(text), asciiLower(pattern)) : 'undecided'
  const matched = likeMatches(text, pattern)
  if (matched || kind !== 'json-string') return matched
  // NOTE: a string without a known type may be of a case-insensitive type, where only an ASCII case-insensitive miss is sure.
  return ascii && !likeMatches(asciiLower(text), asciiLower(pattern)) ? false : 'undecided'
}

/** The truth of one condition before `not.`. */
function truthOf(condition: FilterCondition, cell: unknown, { kind, compare }: CellReading): Truth {
  const { op, value, values = [] } = condition
  const text = cellText(cell)
  if (op === 'is') {
    if (cell === null || value === 'null') return cell === null && value !== 'true' && value !== 'false'
    const bool = kind === 'bool' ? parseBool(text ?? '') : null
    return bool === null ? 'undecided' : value !== 'unknown' && bool === (value === 'true')
  }
  if (op === 'in' && values.length === 0) return false
  if (cell === null) return op === 'isdistinct' || 'sql-null'
  // NOTE: PostgreSQL regular expressions (POSIX classes, `.` across newlines, locale case) are not JavaScript's.
  if (text === null || kind === 'opaque' || op === 'match' || op === 'imatch') return 'undecided'
  if (op === 'like' || op === 'ilike') return likeTruth(kind, text, value, op === 'ilike')
  if (op === 'isdistinct') return compareTruth('neq', compare(text, value, false))
  if (op !== 'in') return compareTruth(op, compare(text, value, op !== 'eq' && op !== 'neq'))
  let undecided = false
  for (const item of values) {
    const result = item === null ? null : compare(text, item, false)
    if (result === 0) return true
    if (item !== null && result === null) undecided = true
  }
  return undecided ? 'undecided' : values.includes(null) ? 'sql-null' : false
}

/** Whether the row has a value for the column (a DELETE may carry only the primary key). */
const hasColumn = (row: Readonly<Record<string, unknown>>, column: string): boolean => Object.hasOwn(row, column) && row[column] !== undefined

/** Whether every condition's column is in the row (a DELETE may carry only the primary key). */
export function hasFilterColumns(conditions: readonly FilterCondition[], row: Readonly<Record<string, unknown>>): boolean {
  return conditions.every((condition) => hasColumn(row, condition.column))
}

/** Reads the cell of one column: how it compares. */
export type ReadCell = (column: string, cell: unknown) => CellReading

/**
 * Whether `row` satisfies every condition (AND), each cell compared as `read` says (see
 * {@link matchesFilter}).
 */
export function matchesFilterWith(conditions: readonly FilterCondition[], row: Readonly<Record<string, unknown>>, read: ReadCell): FilterVerdict {
  let undecided = false
  for (const condition of conditions) {
    const { column } = condition
    const truth = hasColumn(row, column) ? truthOf(condition, row[column], read(column, row[column])) : 'undecided'
    if (truth === 'sql-null' || truth === condition.negate) return false
    if (truth === 'undecided') undecided = true
  }
  return undecided ? null : true
}

/**
 * Whether `row` satisfies every condition (AND), with PostgreSQL's meaning: a comparison with NULL
 * is unknown and does not match, with or without `not.`. Returns `null` when JavaScript cannot
 * decide exactly (PostgreSQL regular expressions, collation-dependent text order, locale case
 * folding, value forms it does not read, a column missing from the row): ask PostgreSQL then.
 *
 * `row` holds the JSON values a client receives, without column types: the JSON type decides
 * (numbers compare as decimals, booleans as booleans, a string only by identity, since it may be
 * text, a uuid, a timestamp, an enum or a case-insensitive type). The server, which reads text
 * values with their column types, uses `matchesTypedFilter` (match-typed-filter.ts).
 */
export function matchesFilter(conditions: readonly FilterCondition[], row: Readonly<Record<string, unknown>>): FilterVerdict {
  return matchesFilterWith(conditions, row, (_column, cell) => jsonReading(cell))
}
