/**
 * Whether a trigger's emitted condition values satisfy a workflow's conditions. An empty or `null`
 * condition means "any"; otherwise the emitted value must be equal (compared as text).
 */
export function matchesConditions(wanted: Readonly<Record<string, string | null>>, emitted: Readonly<Record<string, unknown>>): boolean {
  for (const [key, value] of Object.entries(wanted)) {
    if (value === null || value === '') continue
    const actual = emitted[key]
    if (actual === undefined || actual === null || String(actual) !== value) return false
  }
  return true
}
