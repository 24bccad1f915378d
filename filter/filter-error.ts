const EXAMPLE = 'Write each condition as column=operator.value, e.g. room_id=eq.1 or status=in.(open,pending); join several with commas (all must hold).'

/**
 * Every problem the filter parser reports, with the advice a builder can act on. Codes are
 * permanent: never rename or reuse one.
 */
const CATALOG = {
  FILTER_EMPTY_PART: { fix: `Remove the extra comma. ${EXAMPLE}` },
  FILTER_NO_EQUALS: { fix: EXAMPLE },
  FILTER_NO_COLUMN: { fix: `Put the column name before "=". ${EXAMPLE}` },
  FILTER_COLUMN_SPACES: { fix: 'Remove the spaces around the column name: the server takes it exactly as written, e.g. room_id=eq.1.' },
  FILTER_NO_VALUE: { fix: `Put a dot and the value after the operator, e.g. room_id=eq.1. ${EXAMPLE}` },
  FILTER_UNKNOWN_OPERATOR: { fix: 'Use one of eq, neq, lt, lte, gt, gte, in, like, ilike, is, match, imatch, isdistinct, optionally after not. (e.g. status=not.eq.done).' },
  FILTER_UPPERCASE_OPERATOR: { fix: 'Write the operator in lower case, e.g. eq instead of EQ and not. instead of NOT.: the Supabase server only accepts lower case.' },
  FILTER_IN_PARENTHESES: { fix: 'Wrap the values of "in" in parentheses, e.g. status=in.(open,pending).' },
  FILTER_IN_MALFORMED: { fix: 'List the values separated by commas, e.g. status=in.(open,"on hold"); put double quotes around a value that has a comma, brace, quote or backslash, and escape a quote inside it as \\".' },
  FILTER_IN_TOO_MANY: { fix: 'Use at most 100 values in an "in" filter, or filter on another column.' },
  FILTER_IS_VALUE: { fix: 'Write is.null, is.true, is.false or is.unknown (lower case); use eq for other values.' },
  FILTER_LIKE_ESCAPE: { fix: 'A backslash escapes the next character in a like pattern; end the pattern with \\\\ for a literal backslash.' },
} as const satisfies Record<string, { fix: string }>

/** Permanent code of a {@link FilterError}. */
export type FilterErrorCode = keyof typeof CATALOG

/** Default advice for a code. */
export function filterFix(code: FilterErrorCode): string {
  return CATALOG[code].fix
}

/** A filter the parser cannot read: what is wrong (naming the part), how to fix it, and the server's wording. */
export class FilterError extends Error {
  override readonly name = 'FilterError'
  readonly code: FilterErrorCode
  readonly fix: string
  /** The reason as the Supabase server words it after "Error parsing `filter` params: ". */
  readonly reason: string

  constructor(code: FilterErrorCode, message: string, reason: string, fix: string = filterFix(code)) {
    super(message)
    this.code = code
    this.fix = fix
    this.reason = reason
  }

  /** The message the Realtime server sends back for this filter (`system` error). */
  get serverMessage(): string {
    return `Error parsing \`filter\` params: ${this.reason}`
  }

  toJSON(): { code: FilterErrorCode; message: string; fix: string } {
    return { code: this.code, message: this.message, fix: this.fix }
  }
}
