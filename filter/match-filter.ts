import { asciiLower, isAscii, likeMatches } from './like-pattern'
import {
  compareDecimal,
  compareFloat,
  compareTime,
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

const DECIMAL_TYPES = new Set(['int2', 'int4', 'int8', 'oid', 'numeric'])
const TEXT_TYPES = new Set(['text', 'varchar', 'name'])

function kindOf(type: FilterColumnType | undefined, cell: unknown): Kind {
  if (type) {
    if (DECIMAL_TYPES.has(type.name)) return 'decimal'
    switch (type.name) {
      case 'float8':
      case 'float4':
      case 'bool':
      case 'timestamptz':
      case 'timestamp':
      case 'date':
      case 'time':
      case 'uuid':
      case 'bpchar':
        return type.name
      default:
        if (TEXT_TYPES.has(type.name)) return 'text'
        return type.category === 'E' ? 'enum' : 'opaque'
    }
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? 'json-number' : 'opaque'
  if (typeof cell === 'boolean') return 'bool'
  if (typeof cell === 'string') return 'json-string'
  return 'opaque'
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
  if (typeof cell === 'number' || typeof cell === 'boolean' || typeof cell === 'bigint') return String(cell)
  return null
}

/** Compares two values of one kind: negative, zero, positive; `null` when undecided. `order`: the sign matters, not only equality. */
function compare(kind: Kind, a: string, b: string, order: boolean): number | null {
  switch (kind) {
    case 'decimal': {
      const x = parseDecimal(a)
      const y = parseDecimal(b)
      return x && y ? compareDecimal(x, y) : null
    }
    case 'json-number': {
      const x = parseDecimal(a)
      const y = parseDecimal(b)
      return x && y && exactInEveryNumberType(x) && exactInEveryNumberType(y) ? compareDecimal(x, y) : null
    }
    case 'float8':
    case 'float4': {
      const round = kind === 'float4' ? Math.fround : (v: number) => v
      const x = parseFloat8(a)
      const y = parseFloat8(b)
      return x === null || y === null ? null : compareFloat(round(x), round(y))
    }
    case 'bool': {
      const x = parseBool(a)
      const y = parseBool(b)
      return x === null || y === null ? null : Number(x) - Number(y)
    }
    case 'timestamptz':
    case 'timestamp':
    case 'date': {
      const x = parseTimestamp(a, kind)
      const y = parseTimestamp(b, kind)
      return x === null || y === null ? null : compareTime(x, y)
    }
    case 'time': {
      const x = parseTime(a)
      const y = parseTime(b)
      return x === null || y === null ? null : x === y ? 0 : x < y ? -1 : 1
    }
    case 'uuid': {
      const x = parseUuid(a)
      const y = parseUuid(b)
      return x === null || y === null ? null : x === y ? 0 : x < y ? -1 : 1
    }
    case 'text':
    case 'enum':
      // NOTE: equality is exact under any deterministic collation; order depends on the collation.
      return a === b ? 0 : order ? null : 1
    case 'bpchar': {
      const x = a.replace(/ +$/, '')
      const y = b.replace(/ +$/, '')
      return x === y ? 0 : order ? null : 1
    }
    case 'json-string':
      if (a === b) return 0
      // NOTE: two plain words that differ beyond ASCII case are unequal in every type a string can come from.
      return !order && isPlainWord(a) && isPlainWord(b) && asciiLower(a) !== asciiLower(b) ? 1 : null
    default:
      return null
  }
}

function compareTruth(op: FilterCondition['op'], result: number | null): Truth {
  if (result === null) return 'undecided'
  switch (op) {
    case 'eq':
      return result === 0
    case 'neq':
      return result !== 0
    case 'lt':
      return result < 0
    case 'lte':
      return result <= 0
    case 'gt':
      return result > 0
    default:
      return result >= 0
  }
}

function likeTruth(kind: Kind, text: string, pattern: string, caseInsensitive: boolean): Truth {
  if (kind !== 'text' && kind !== 'bpchar' && kind !== 'json-string') return 'undecided'
  if (caseInsensitive) {
    // NOTE: ILIKE folds case with the column's locale; only ASCII folds the same everywhere.
    if (!isAscii(text) || !isAscii(pattern)) return 'undecided'
    return likeMatches(asciiLower(text), asciiLower(pattern))
  }
  const matched = likeMatches(text, pattern)
  if (matched || kind !== 'json-string') return matched
  // NOTE: a string without a known type may be of a case-insensitive type, where only an ASCII case-insensitive miss is sure.
  if (!isAscii(text) || !isAscii(pattern)) return 'undecided'
  return likeMatches(asciiLower(text), asciiLower(pattern)) ? 'undecided' : false
}

/** The truth of one condition before `not.`. */
function truthOf(condition: FilterCondition, cell: unknown, type: FilterColumnType | undefined): Truth {
  const { op, value } = condition
  if (op === 'is') {
    if (value === 'null') return cell === null
    const kind = kindOf(type, cell)
    if (cell === null) return value === 'unknown'
    if (kind !== 'bool') return 'undecided'
    const text = cellText(cell)
    const bool = text === null ? null : parseBool(text)
    if (bool === null) return 'undecided'
    return value === 'unknown' ? false : bool === (value === 'true')
  }
  if (op === 'in' && (condition.values ?? []).length === 0) return false
  if (cell === null) return op === 'isdistinct' ? true : 'sql-null'
  const kind = kindOf(type, cell)
  const text = cellText(cell)
  if (text === null || kind === 'opaque') return 'undecided'
  switch (op) {
    case 'isdistinct': {
      const result = compare(kind, text, value, false)
      return result === null ? 'undecided' : result !== 0
    }
    case 'in': {
      let undecided = false
      let sawNull = false
      for (const item of condition.values ?? []) {
        if (item === null) {
          sawNull = true
          continue
        }
        const result = compare(kind, text, item, false)
        if (result === 0) return true
        if (result === null) undecided = true
      }
      return undecided ? 'undecided' : sawNull ? 'sql-null' : false
    }
    case 'like':
    case 'ilike':
      return likeTruth(kind, text, value, op === 'ilike')
    case 'match':
    case 'imatch':
      // NOTE: PostgreSQL regular expressions (POSIX classes, `.` across newlines, locale case) are not JavaScript's.
      return 'undecided'
    default:
      return compareTruth(op, compare(kind, text, value, op !== 'eq' && op !== 'neq'))
  }
}

/** Whether every condition's column is in the row (a DELETE may carry only the primary key). */
export function hasFilterColumns(conditions: readonly FilterCondition[], row: Readonly<Record<string, unknown>>): boolean {
  return conditions.every((condition) => Object.prototype.hasOwnProperty.call(row, condition.column) && row[condition.column] !== undefined)
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
    if (!Object.prototype.hasOwnProperty.call(row, condition.column) || row[condition.column] === undefined) {
      undecided = true
      continue
    }
    const truth = truthOf(condition, row[condition.column], columnTypes?.get(condition.column))
    if (truth === 'undecided') {
      undecided = true
      continue
    }
    if (truth === 'sql-null') return false
    if ((condition.negate ? !truth : truth) === false) return false
  }
  return undecided ? null : true
}
