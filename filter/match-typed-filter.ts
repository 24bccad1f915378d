import { BOOL, by, jsonReading, matchesFilterWith, type CellReading, type Comparer, type Kind } from './match-filter'
import { compareDecimal, compareFloat, compareValues, parseDecimal, parseFloat8, parseTime, parseTimestamp, parseUuid } from './parse-values'
import type { FilterColumnType, FilterCondition, FilterVerdict } from './types'

/** Equality only, after `normalize`: order depends on the collation. */
function byIdentity(normalize: (text: string) => string): Comparer {
  // NOTE: equality is exact under any deterministic collation; order depends on the collation.
  return (a, b, order) => (normalize(a) === normalize(b) ? 0 : order ? null : 1)
}

const reading = (kind: Kind, compare: Comparer): CellReading => ({ kind, compare })
const timestamp = (mode: 'timestamptz' | 'timestamp' | 'date'): CellReading => reading(mode, by((text) => parseTimestamp(text, mode), compareValues))
const decimal = reading('decimal', by(parseDecimal, compareDecimal))
const text = reading('text', byIdentity((value) => value))
const float8 = reading('float8', by(parseFloat8, compareFloat))
const float4 = reading(
  'float4',
  by((value) => {
    const float = parseFloat8(value)
    return float === null ? null : Math.fround(float)
  }, compareFloat),
)

/** How the cells of each column type the evaluator reads compare (domains arrive as their base type). */
const TYPE_READINGS = new Map<string, CellReading>([
  ['int2', decimal],
  ['int4', decimal],
  ['int8', decimal],
  ['oid', decimal],
  ['numeric', decimal],
  ['text', text],
  ['varchar', text],
  ['name', text],
  ['float8', float8],
  ['float4', float4],
  ['bool', BOOL],
  ['timestamptz', timestamp('timestamptz')],
  ['timestamp', timestamp('timestamp')],
  ['date', timestamp('date')],
  ['time', reading('time', by(parseTime, compareValues))],
  ['uuid', reading('uuid', by(parseUuid, compareValues))],
  ['bpchar', reading('bpchar', byIdentity((value) => value.replace(/ +$/, '')))],
])

const ENUM = reading('enum', text.compare)
const OPAQUE = reading('opaque', () => null)

/** How a cell of a column of `type` compares: the type decides (an enum by identity; other types: undecided). */
function typedReading(type: FilterColumnType): CellReading {
  return TYPE_READINGS.get(type.name) ?? (type.category === 'E' ? ENUM : OPAQUE)
}

/**
 * `matchesFilter` (match-filter.ts) for a row of text values with their column types, as the server reads them
 * from the replication stream: each column's type decides how its cells compare (a column without
 * a type compares by its JSON type).
 */
export function matchesTypedFilter(
  conditions: readonly FilterCondition[],
  row: Readonly<Record<string, unknown>>,
  columnTypes: ReadonlyMap<string, FilterColumnType>,
): FilterVerdict {
  return matchesFilterWith(conditions, row, (column, cell) => {
    const type = columnTypes.get(column)
    return type ? typedReading(type) : jsonReading(cell)
  })
}
