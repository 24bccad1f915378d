/**
 * JSON text of a value with object keys sorted at every level, so that two values equal as maps
 * give the same text whatever their key order. The one implementation the server (binding ids,
 * presence fingerprints) and the plugin (presence echoes) share.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? 'null'
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key]
  return sorted
}
