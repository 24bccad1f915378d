import { FILTER_OPERATORS, MAX_IN_VALUES } from './types'

const EXAMPLE = 'e.g. room_id=eq.1'

/**
 * Every problem the filter parser reports, with the advice a builder can act on. Codes are
 * permanent: never rename or reuse one.
 */
const CATALOG = {
  FILTER_EMPTY_PART: 'Remove the extra comma.',
  FILTER_NO_EQUALS: `Write column=operator.value, ${EXAMPLE}; join conditions with commas (all must hold).`,
  FILTER_NO_COLUMN: `Put the column name before "=", ${EXAMPLE}.`,
  FILTER_COLUMN_SPACES: `Remove the spaces around the column name (the server reads it verbatim), ${EXAMPLE}.`,
  FILTER_NO_VALUE: `Put a dot and the value after the operator, ${EXAMPLE}.`,
  FILTER_UNKNOWN_OPERATOR: `Use one of ${FILTER_OPERATORS.join(', ')}, optionally after not. (e.g. status=not.eq.done).`,
  FILTER_UPPERCASE_OPERATOR: 'Write operators in lower case (eq, not.), as Supabase requires.',
  FILTER_IN_PARENTHESES: 'Wrap the "in" values in parentheses, e.g. status=in.(open,pending).',
  FILTER_IN_MALFORMED: 'Separate values with commas and double-quote a value with a comma, brace, quote or backslash (escape a quote as \\"), e.g. status=in.(open,"on hold").',
  FILTER_IN_TOO_MANY: `Use at most ${MAX_IN_VALUES} values in an "in" filter, or filter on another column.`,
  FILTER_IS_VALUE: 'Write is.null, is.true, is.false or is.unknown (lower case); use eq for other values.',
  FILTER_LIKE_ESCAPE: 'A backslash escapes the next character: write \\\\ for a literal backslash.',
} as const satisfies Record<string, string>

/** Permanent code of a {@link FilterError}. */
export type FilterErrorCode = keyof typeof CATALOG

/** Default advice for a code. */
export function filterFix(code: FilterErrorCode): string {
  return CATALOG[code]
}

/**
 * A filter the parser cannot read: what is wrong (naming the part) and how to fix it. `facts` hold
 * what the server's own wording is made of (`filterServerMessage`, filter-server-message.ts, which
 * only the server needs).
 */
export class FilterError extends Error {
  override readonly name = 'FilterError'
  readonly code: FilterErrorCode
  readonly fix: string
  readonly facts: readonly string[]

  constructor(code: FilterErrorCode, message: string, facts: readonly string[], fix: string = filterFix(code)) {
    super(message)
    this.code = code
    this.fix = fix
    this.facts = facts
  }

  toJSON(): { code: FilterErrorCode; message: string; fix: string } {
    return { code: this.code, message: this.message, fix: this.fix }
  }
}
