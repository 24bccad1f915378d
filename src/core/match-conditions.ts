/** A condition value that means "any": empty, `null`, `undefined` or `*`. */
export function isWildcard(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === '*'
}

/**
 * Whether the conditions a builder set on a trigger match the values of one event. Conditions
 * left empty match everything; text is compared case-insensitively (as supabase-js matches
 * broadcast event names). Every host (memory, WeWeb, the playground) uses this one function.
 */
export function matchConditions(configured: Readonly<Record<string, unknown>> | null | undefined, actual: Readonly<Record<string, unknown>>): boolean {
  if (!configured) return true
  for (const key of Object.keys(configured)) {
    const want = configured[key]
    if (isWildcard(want)) continue
    const have = actual[key]
    // NOTE: an emitted number or boolean compares as its text, since builders type conditions as text.
    if (typeof want === 'string' && (typeof have === 'string' || typeof have === 'number' || typeof have === 'boolean')) {
      if (want.trim().toLowerCase() !== String(have).toLowerCase()) return false
    } else if (want !== have) {
      return false
    }
  }
  return true
}
