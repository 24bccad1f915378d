/** Operators of a `postgres_changes` filter, as the Supabase Realtime server accepts them (lower case only). */
export const FILTER_OPERATORS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct'] as const

/** One filter operator. */
export type FilterOperator = (typeof FILTER_OPERATORS)[number]

/** The only values `is` accepts (lower case, as Supabase checks them). */
export const IS_VALUES = ['null', 'true', 'false', 'unknown'] as const

/** Most items an `in` list may hold. */
export const MAX_IN_VALUES = 100

/** One `column=[not.]op.value` condition; a filter is the AND of its conditions. */
export interface FilterCondition {
  /** The column name, verbatim. */
  column: string
  op: FilterOperator
  /** `not.` prefix: the condition is negated (`NOT (…)`; for `is`/`isdistinct`, `IS NOT …`). */
  negate: boolean
  /**
   * The value as PostgreSQL receives it: unquoted text; for `in`, the array literal `{a,b}`; for
   * `is`, one of {@link IS_VALUES}.
   */
  value: string
  /** For `in`: the list items as PostgreSQL reads the array literal; `null` is an unquoted NULL (SQL NULL). */
  values?: Array<string | null>
}

/**
 * What the evaluator needs to know about a column type: its `pg_type.typname` (domains as their
 * base type), and optionally its `typcategory` (`E` marks an enum).
 */
export interface FilterColumnType {
  name: string
  category?: string
}

/** `true`/`false`: the row matches or not, exactly as PostgreSQL decides; `null`: ask PostgreSQL. */
export type FilterVerdict = boolean | null
