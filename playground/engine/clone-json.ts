/** A deep copy of a JSON-like value (works on Vue proxies, unlike `structuredClone`). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
}
