import { rowMatchesFilter, type FilterCondition } from './postgres-filter'
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

function admitted(row: Row, rule: CollectionRule): boolean {
  if (rule.filters.length === 0) return true
  return rule.filters.some((conditions) => rowMatchesFilter(row, conditions))
}

/**
 * The live rows of one table on one channel, keyed by primary key. INSERT and UPDATE upsert the
 * row when it matches the binding filters; an UPDATE that no longer matches and a DELETE remove it.
 */
export class LiveCollection {
  private readonly rows = new Map<string, Row>()
  private cached: Row[] | null = null

  constructor(private readonly rule: CollectionRule) {}

  /** Applies one change; returns whether the rows changed. */
  apply(change: RowChange): boolean {
    const { primaryKey } = this.rule
    if (change.event === 'DELETE') {
      const key = keyOf(change.old, primaryKey)
      return key !== null && this.remove(key)
    }
    const row = change.new
    const key = keyOf(row, primaryKey)
    if (key === null) return false
    let changed = false
    if (change.event === 'UPDATE') {
      // NOTE: a primary key that changed leaves the old key behind unless we drop it.
      const oldKey = keyOf(change.old, primaryKey)
      if (oldKey !== null && oldKey !== key) changed = this.remove(oldKey) || changed
    }
    if (!admitted(row, this.rule)) return this.remove(key) || changed
    this.rows.set(key, row)
    this.cached = null
    return true
  }

  /** Applies a change only to a row the collection already holds (see `companionBindings`). */
  applyIfKnown(change: RowChange): boolean {
    const key = keyOf(change.event === 'DELETE' ? change.old : change.new, this.rule.primaryKey) ?? keyOf(change.old, this.rule.primaryKey)
    if (key === null || !this.rows.has(key)) return false
    return this.apply(change)
  }

  private remove(key: string): boolean {
    const removed = this.rows.delete(key)
    if (removed) this.cached = null
    return removed
  }

  /** Number of rows. */
  get size(): number {
    return this.rows.size
  }

  /** The rows, in the order they first arrived. */
  list(): Row[] {
    if (!this.cached) this.cached = Object.freeze([...this.rows.values()]) as Row[]
    return this.cached
  }
}
