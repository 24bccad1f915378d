import type { FilterError } from './filter-error'
import { MAX_IN_VALUES } from './types'

/** Renders strings the way the Supabase server prints a list in its errors (`["a", "b"]`). */
export function inspectStrings(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`
}

/**
 * The message the Supabase Realtime server sends back for a filter it cannot read (`system`
 * error), from the error's facts. Only the server calls it, so the plugin's bundle leaves these
 * sentences out.
 */
export function filterServerMessage(error: FilterError): string {
  const [first = ''] = error.facts
  const reasons: Partial<Record<FilterError['code'], string>> = {
    FILTER_EMPTY_PART: 'filter must not contain empty segments (check for extra commas)',
    FILTER_COLUMN_SPACES: `invalid column for filter ${first}`,
    FILTER_IN_MALFORMED: `malformed array literal: ${JSON.stringify(first)}`,
    FILTER_IN_TOO_MANY: `too many values for \`in\` filter. Maximum ${MAX_IN_VALUES}`,
    // NOTE: for these, the fact is the server's own reason, which the plugin's message quotes too.
    FILTER_IN_PARENTHESES: first,
    FILTER_IS_VALUE: first,
    FILTER_LIKE_ESCAPE: first,
  }
  return `Error parsing \`filter\` params: ${reasons[error.code] ?? inspectStrings(error.facts)}`
}
