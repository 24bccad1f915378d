import { asciiLower, isAscii, likeMatches } from './like-pattern'
import {
  compareDecimal,
  compareFloat,
  compareValues,
  parseBool,
  parseDecimal,
  parseFloat8,
  parseTime,
  parseTimestamp,
  parseUuid,
  type Decimal,
} from './parse-values'
import type { FilterColumnType, FilterCondition, FilterVerdict } from './types'

/**
 * How a cell is compared. With a column type (the server reads text values from the replication
 * stream), the type decides. Without one (the plugin sees the JSON a client receives), the JSON type
 * decides: numbers compare as decimals, booleans as booleans, and a string only by identity, since
 * it may be text, a uuid, a timestamp, an enum or a case-insensitive type.
 */
type Kind =
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

/** The kind of each column type the evaluator reads (domains arrive as their base type). */
const TYPE_KINDS = new Map<string, Kind>([
  ...(['int2', 'int4', 'int8', 'oid', 'numeric'] as const).map((name) => [name, 'decimal'] as const),
  ...(['text', 'varchar', 'name'] as const).map((name) => [name, 'text'] as const),
  ...(['float8', 'float4', 'bool', 'timestamptz', 'timestamp', 'date', 'time', 'uuid', 'bpchar'] as const).map((name) => [name, name] as const),
])

function kindOf(type: FilterColumnType | undefined, cell: unknown): Kind {
  if (type) return TYPE_KINDS.get(type.name) ?? (type.category === 'E' ? 'enum' : 'opaque')
  if (typeof cell === 'number') return Number.isFinite(cell) ? 'json-number' : 'opaque'
  if (typeof cell === 'boolean') return 'bool'
  return typeof cell === 'string' ? 'json-string' : 'opaque'
}

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
type Comparer = (a: string, b: string, order: boolean) => number | null

/** Compares what `read` makes of both values; `null` when it cannot read one. */
function by<T>(read: (text: string) => T | null, order: (x: T, y: T) => number): Comparer {
  return (a, b) => {
    const x = read(a)
    const y = read(b)
    return x === null || y === null ? null : order(x, y)
  }
}

/** Equality only (order depends on the collation), after `normalize`. */
function byIdentity(normalize: (text: string) => string): Comparer {
  // NOTE: equality is exact under any deterministic collation; order depends on the collation.
  return (a, b, order) => (normalize(a) === normalize(b) ? 0 : order ? null : 1)
}

const timestamp = (mode: 'timestamptz' | 'timestamp' | 'date'): Comparer => by((text) => parseTimestamp(text, mode), compareValues)
const text = byIdentity((value) => value)

const COMPARERS: Record<Kind, Comparer> = {
  decimal: by(parseDecimal, compareDecimal),
  'json-number': by((value) => {
    const decimal = parseDecimal(value)
    return decimal && exactInEveryNumberType(decimal) ? decimal : null
  }, compareDecimal),
  float8: by(parseFloat8, compareFloat),
  float4: by((value) => {
    const float = parseFloat8(value)
    return float === null ? null : Math.fround(float)
  }, compareFloat),
  bool: by((value) => {
    const bool = parseBool(value)
    return bool === null ? null : Number(bool)
  }, compareValues),
  timestamptz: timestamp('timestamptz'),
  timestamp: timestamp('timestamp'),
  date: timestamp('date'),
  time: by(parseTime, compareValues),
  uuid: by(parseUuid, compareValues),
  text,
  enum: text,
  bpchar: byIdentity((value) => value.replace(/ +$/, '')),
  // NOTE: two plain words that differ beyond ASCII case are unequal in every type a string can come from.
  'json-string': (a, b, order) => (a === b ? 0 : !order && isPlainWord(a) && isPlainWord(b) && asciiLower(a) !== asciiLower(b) ? 1 : null),
  opaque: () => null,
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
function truthOf(condition: FilterCondition, cell: unknown, type: FilterColumnType | undefined): Truth {
  const { op, value, values = [] } = condition
  const kind = kindOf(type, cell)
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
  const compare = COMPARERS[kind]
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

/**
 * Whether `row` satisfies every condition (AND), with PostgreSQL's meaning: a comparison with NULL
 * is unknown and does not match, with or without `not.`. Returns `null` when JavaScript cannot
 * decide exactly (PostgreSQL regular expressions, collation-dependent text order, locale case
 * folding, value forms it does not read, a column missing from the row): ask PostgreSQL then.
 *
 * `row` holds text values with `columnTypes` (as the server reads them from the replication
 * stream), or the JSON values a client receives, without types.
 */
export function matchesFilter(
  conditions: readonly FilterCondition[],
  row: Readonly<Record<string, unknown>>,
  columnTypes?: ReadonlyMap<string, FilterColumnType>,
): FilterVerdict {
  let undecided = false
  for (const condition of conditions) {
    const truth = hasColumn(row, condition.column) ? truthOf(condition, row[condition.column], columnTypes?.get(condition.column)) : 'undecided'
    if (truth === 'sql-null' || truth === condition.negate) return false
    if (truth === 'undecided') undecided = true
  }
  return undecided ? null : true
}
