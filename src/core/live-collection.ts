import { matchesFilter, type FilterCondition } from '../../filter'
import type { PostgresChangeType, Row } from './types'

/** How a collection identifies and admits rows. */
export interface CollectionRule {
  /** Columns of the primary key. */
  primaryKey: readonly string[]
  /**
   * Filters of the bindings that feed this collection: a row belongs when it matches at least one
   * of them. An empty filter (`[]`) admits every row.
   */
  filters: ReadonlyArray<readonly FilterCondition[]>
}

/** One row change, as delivered by a postgres binding. */
export interface RowChange {
  event: PostgresChangeType
  new: Row
  old: Row
}

function keyOf(row: Row, primaryKey: readonly string[]): string | null {
  const values: unknown[] = []
  for (const column of primaryKey) {
    const v = row[column]
    if (v === undefined) return null
    values.push(v)
  }
  return JSON.stringify(values)
}

/**
 * Whether a row belongs: it matches at least one binding filter. Where the filter module cannot
 * decide in JavaScript (`null`: a PostgreSQL regular expression, text order, a string whose column
 * type the client does not see, a column left out by `select`), we keep the server's verdict rather
 * than guess: `deliveredMatched` is true when the change came through a filtered binding (the
 * server matched its filter), false when it came only through a companion binding (the server
 * matched none of the filtered bindings for that event).
 */
function admitted(row: Row, rule: CollectionRule, deliveredMatched: boolean): boolean {
  if (rule.filters.length === 0) return true
  let undecided = false
  for (const conditions of rule.filters) {
    const verdict = matchesFilter(conditions, row)
    if (verdict === true) return true
    if (verdict === null) undecided = true
  }
  return undecided && deliveredMatched
}

/**
 * The live rows of one table on one channel, keyed by primary key. INSERT and UPDATE upsert the
 * row when it matches the binding filters; an UPDATE that no longer matches and a DELETE remove it.
 */
export class LiveCollection {
  readonly #rows = new Map<string, Row>()
  #cached: Row[] | null = null

  readonly #rule: CollectionRule
  constructor(rule: CollectionRule) {
    this.#rule = rule
  }

  /** Applies one change delivered through a binding of the collection; returns whether the rows changed. */
  apply(change: RowChange): boolean {
    return this.#applyChange(change, true)
  }

  #applyChange(change: RowChange, deliveredMatched: boolean): boolean {
    const { primaryKey } = this.#rule
    if (change.event === 'DELETE') {
      const key = keyOf(change.old, primaryKey)
      return key !== null && this.#remove(key)
    }
    const row = change.new
    const key = keyOf(row, primaryKey)
    if (key === null) return false
    let changed = false
    if (change.event === 'UPDATE') {
      // NOTE: a primary key that changed leaves the old key behind unless we drop it.
      const oldKey = keyOf(change.old, primaryKey)
      if (oldKey !== null && oldKey !== key) changed = this.#remove(oldKey) || changed
    }
    if (!admitted(row, this.#rule, deliveredMatched)) return this.#remove(key) || changed
    this.#rows.set(key, row)
    this.#cached = null
    return true
  }

  /**
   * Replaces every row with a snapshot the server selected with the bindings' filter (so rows are
   * not checked against it again: `select` may leave filtered columns out). Rows without a primary
   * key are skipped.
   */
  replaceAll(rows: readonly Row[]): void {
    this.#rows.clear()
    for (const row of rows) {
      const key = keyOf(row, this.#rule.primaryKey)
      if (key !== null) this.#rows.set(key, row)
    }
    this.#cached = null
  }

  /** Applies a change only to a row the collection already holds (see `companionBindings`). */
  applyIfKnown(change: RowChange): boolean {
    const key = keyOf(change.event === 'DELETE' ? change.old : change.new, this.#rule.primaryKey) ?? keyOf(change.old, this.#rule.primaryKey)
    if (key === null || !this.#rows.has(key)) return false
    return this.#applyChange(change, false)
  }

  #remove(key: string): boolean {
    const removed = this.#rows.delete(key)
    if (removed) this.#cached = null
    return removed
  }

  /** Number of rows. */
  get size(): number {
    return this.#rows.size
  }

  /** The rows, in the order they first arrived. */
  list(): Row[] {
    if (!this.#cached) this.#cached = Object.freeze([...this.#rows.values()]) as Row[]
    return this.#cached
  }
}
