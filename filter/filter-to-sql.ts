import type { FilterCondition } from './types'

/** Quotes an identifier for PostgreSQL (`a"b` → `"a""b"`). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

const COMPARISONS = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=', like: 'LIKE', ilike: 'ILIKE', match: '~', imatch: '~*' } as const

/**
 * The SQL meaning of one condition, as Supabase evaluates it: the value is a parameter that
 * PostgreSQL reads as the column's type (`in`: an array of it); `not.` wraps the condition in `NOT
 * (…)`, so a NULL cell matches neither way.
 */
export function conditionToSql(condition: FilterCondition, params: unknown[], quoteIdent: (name: string) => string = quoteIdentifier): string {
  const column = quoteIdent(condition.column)
  const param = (value: string): string => {
    params.push(value)
    return `$${params.length}`
  }
  switch (condition.op) {
    case 'is':
      return `${column} IS ${condition.negate ? 'NOT ' : ''}${condition.value.toUpperCase()}`
    case 'isdistinct':
      return `${column} IS ${condition.negate ? 'NOT ' : ''}DISTINCT FROM ${param(condition.value)}`
    case 'in': {
      const sql = `${column} = ANY (${param(condition.value)})`
      return condition.negate ? `NOT (${sql})` : sql
    }
    default: {
      const sql = `${column} ${COMPARISONS[condition.op]} ${param(condition.value)}`
      return condition.negate ? `NOT (${sql})` : sql
    }
  }
}

/**
 * A WHERE fragment with the exact SQL meaning of a filter (the AND of its conditions; `TRUE` for
 * none). Values are pushed to `params` and referenced as `$n`, numbered after what `params`
 * already holds. `quoteIdent` renders a column reference (e.g. to qualify it with a table alias).
 */
export function filterToSql(conditions: readonly FilterCondition[], params: unknown[], quoteIdent: (name: string) => string = quoteIdentifier): string {
  if (conditions.length === 0) return 'TRUE'
  return conditions.map((condition) => `(${conditionToSql(condition, params, quoteIdent)})`).join(' AND ')
}
