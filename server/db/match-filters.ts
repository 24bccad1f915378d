import type { FilterCondition } from './parse-filter'
import type { PgTypeInfo } from './render-value'

/** A row as text values by column name (`null` = SQL NULL); an absent column is not in the row. */
export type TextRow = Readonly<Record<string, string | null | undefined>>

type Kind = 'number' | 'bool' | 'time' | 'text'

function kindOf(type: PgTypeInfo | undefined): Kind {
  if (!type) return 'text'
  if (type.category === 'N' && type.name !== 'money') return 'number'
  if (type.name === 'bool') return 'bool'
  if (type.name === 'timestamptz' || type.name === 'timestamp' || type.name === 'date') return 'time'
  return 'text'
}

function toBool(text: string): boolean | null {
  const value = text.trim().toLowerCase()
  if (['t', 'true', 'yes', 'y', 'on', '1'].includes(value)) return true
  if (['f', 'false', 'no', 'n', 'off', '0'].includes(value)) return false
  return null
}

function toTime(text: string): number {
  let iso = text.trim().replace(' ', 'T')
  if (!iso.includes('T')) iso += 'T00:00:00'
  // NOTE: values without a zone are read as UTC, like the server's UTC sessions.
  if (!/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(iso)) iso += 'Z'
  return Date.parse(iso.replace(/([+-]\d{2})$/, '$1:00'))
}

/** Compares two non-null values by the column type: negative, zero, positive, or null if not comparable. */
function compare(left: string, right: string, type: PgTypeInfo | undefined): number | null {
  switch (kindOf(type)) {
    case 'number': {
      const a = Number(left)
      const b = Number(right)
      if (Number.isNaN(a) || Number.isNaN(b)) return null
      return a === b ? 0 : a < b ? -1 : 1
    }
    case 'bool': {
      const a = toBool(left)
      const b = toBool(right)
      if (a === null || b === null) return null
      return Number(a) - Number(b)
    }
    case 'time': {
      const a = toTime(left)
      const b = toTime(right)
      if (Number.isNaN(a) || Number.isNaN(b)) return null
      return a === b ? 0 : a < b ? -1 : 1
    }
    default: {
      const a = type?.name === 'uuid' ? left.toLowerCase() : left
      const b = type?.name === 'uuid' ? right.toLowerCase() : right
      return a === b ? 0 : a < b ? -1 : 1
    }
  }
}

function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string
    if (char === '\\' && i + 1 < pattern.length) {
      source += (pattern[i + 1] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
      i++
    } else if (char === '%') {
      source += '.*'
    } else if (char === '_') {
      source += '.'
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    }
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su')
}

function regexMatch(value: string, pattern: string, caseInsensitive: boolean): boolean | null {
  try {
    return new RegExp(pattern, caseInsensitive ? 'iu' : 'u').test(value)
  } catch {
    return null
  }
}

/** SQL three-valued result of one condition before `not.`: true, false or null (unknown). */
function evaluate(condition: FilterCondition, value: string | null, type: PgTypeInfo | undefined): boolean | null {
  const { op } = condition
  if (op === 'is') {
    if (condition.value === 'null') return value === null
    if (kindOf(type) !== 'bool') return null
    if (condition.value === 'unknown') return value === null
    if (value === null) return false
    return toBool(value) === (condition.value === 'true')
  }
  if (op === 'isdistinct') {
    const other = condition.value.toLowerCase() === 'null' ? null : condition.value
    if (value === null || other === null) return value !== other
    return compare(value, other, type) !== 0
  }
  if (value === null) return null
  switch (op) {
    case 'eq':
    case 'neq':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const result = compare(value, condition.value, type)
      if (result === null) return null
      if (op === 'eq') return result === 0
      if (op === 'neq') return result !== 0
      if (op === 'lt') return result < 0
      if (op === 'lte') return result <= 0
      if (op === 'gt') return result > 0
      return result >= 0
    }
    case 'in': {
      const values = condition.values ?? []
      let unknown = false
      for (const item of values) {
        if (item.toUpperCase() === 'NULL') {
          unknown = true
          continue
        }
        const result = compare(value, item, type)
        if (result === 0) return true
        if (result === null) unknown = true
      }
      return unknown ? null : false
    }
    case 'like':
    case 'ilike':
      return likeToRegExp(condition.value, op === 'ilike').test(value)
    case 'match':
    case 'imatch':
      return regexMatch(value, condition.value, op === 'imatch')
    default:
      return null
  }
}

/**
 * True when `row` satisfies every condition (AND). A condition on a column absent from the row
 * (a DELETE without that column in its replica identity) does not match, and an unknown (NULL)
 * comparison does not match either, with or without `not.`.
 */
export function matchesFilters(
  conditions: readonly FilterCondition[],
  row: TextRow,
  types: ReadonlyMap<string, PgTypeInfo>,
): boolean {
  for (const condition of conditions) {
    if (!Object.prototype.hasOwnProperty.call(row, condition.column)) return false
    const value = row[condition.column]
    if (value === undefined) return false
    const result = evaluate(condition, value, types.get(condition.column))
    if (result === null) return false
    if ((condition.negate ? !result : result) === false) return false
  }
  return true
}
