import type pg from 'pg'
import { filterToSql, hasFilterColumns, quoteIdentifier, type FilterCondition } from '../../filter'
import { matchesTypedFilter } from '../../filter/match-typed-filter'
import type { RelationInfo } from './decode-pgoutput'
import { parseArrayLiteral, type PgTypeInfo } from './render-value'

/** A row as text values by column name (`null` = SQL NULL); an absent column is not in the row. */
export type TextRow = Readonly<Record<string, string | null | undefined>>

/** Verdicts PostgreSQL gave, remembered by relation, filter and the filtered cells. */
const CACHE_SIZE = 2000

/**
 * Decides which binding filters a changed row matches, with PostgreSQL's meaning: the filter
 * module decides in JavaScript where it can, and the cases it cannot decide exactly (regular
 * expressions, collation order, unusual value forms) go to PostgreSQL in one query per change,
 * evaluated on the row's values read as the table's column types.
 */
export class FilterJudge {
  private readonly cache = new Map<string, boolean>()

  constructor(
    private readonly pool: pg.Pool,
    private readonly onWarning?: (message: string, error?: unknown) => void,
  ) {}

  /** For each filter, whether the row matches it. A filter on a column missing from the row does not match. */
  async matches(
    relation: RelationInfo,
    row: TextRow,
    types: ReadonlyMap<string, PgTypeInfo>,
    filters: ReadonlyArray<readonly FilterCondition[]>,
  ): Promise<boolean[]> {
    const verdicts: boolean[] = []
    // NOTE: many subscribers often share a filter; each distinct one is asked once.
    const ask = new Map<string, { indexes: number[]; conditions: readonly FilterCondition[] }>()
    filters.forEach((conditions, index) => {
      if (!hasFilterColumns(conditions, row)) {
        verdicts[index] = false
        return
      }
      const verdict = matchesTypedFilter(conditions, row, types)
      if (verdict !== null) {
        verdicts[index] = verdict
        return
      }
      const cells = conditions.map((condition) => row[condition.column] ?? null)
      const key = JSON.stringify([relation.oid, conditions, cells])
      const cached = this.cache.get(key)
      if (cached !== undefined) verdicts[index] = cached
      else if (ask.has(key)) ask.get(key)?.indexes.push(index)
      else ask.set(key, { indexes: [index], conditions })
    })
    if (ask.size === 0) return verdicts
    const pending = [...ask.entries()]
    const answers = await this.askPostgres(relation, row, types, pending.map(([, item]) => item.conditions))
    pending.forEach(([key, item], i) => {
      const answer = answers?.[i] ?? false
      for (const index of item.indexes) verdicts[index] = answer
      if (answers) this.remember(key, answer)
    })
    return verdicts
  }

  private remember(key: string, verdict: boolean): void {
    if (this.cache.size >= CACHE_SIZE) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    this.cache.set(key, verdict)
  }

  /** Evaluates the filters in PostgreSQL on the row's values as the table's types; `null` if it failed. */
  private async askPostgres(
    relation: RelationInfo,
    row: TextRow,
    types: ReadonlyMap<string, PgTypeInfo>,
    filters: ReadonlyArray<readonly FilterCondition[]>,
  ): Promise<boolean[] | null> {
    const params: unknown[] = []
    const column = (name: string) => `r.${quoteIdentifier(name)}`
    const selects = filters.map((conditions, i) => `coalesce(${filterToSql(conditions, params, column)}, false) as "${i}"`)
    const cells: Record<string, unknown> = {}
    for (const conditions of filters) {
      for (const { column: name } of conditions) cells[name] = jsonCell(row[name] ?? null, types.get(name))
    }
    params.push(JSON.stringify(cells))
    const table = `${quoteIdentifier(relation.schema)}.${quoteIdentifier(relation.table)}`
    try {
      const { rows } = await this.pool.query<Record<string, boolean>>(
        `select ${selects.join(', ')} from json_populate_record(null::${table}, $${params.length}::json) as r`,
        params,
      )
      const result = rows[0] ?? {}
      return filters.map((_, i) => result[String(i)] === true)
    } catch (error) {
      // NOTE: the table may have changed or gone since the change; nobody can match it then.
      this.onWarning?.(`Could not evaluate a filter on ${relation.schema}.${relation.table} in PostgreSQL`, error)
      return null
    }
  }
}

/** A cell as `json_populate_record` reads it back to the column's value: text, or JSON for json and array columns. */
function jsonCell(text: string | null, type: PgTypeInfo | undefined): unknown {
  if (text === null) return null
  if (type?.name === 'json' || type?.name === 'jsonb') {
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  }
  if (type?.category === 'A') return parseArrayLiteral(text)
  return text
}
