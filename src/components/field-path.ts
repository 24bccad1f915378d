/** Reads a dotted path (`broadcast.self`) of a form's values. */
export function readPath(values: unknown, path: string): unknown {
  let current = values
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[step]
  }
  return current
}

/** A copy of `values` with the dotted path set (objects on the way are copied, never changed). */
export function writePath(values: unknown, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]]
  const base = typeof values === 'object' && values !== null && !Array.isArray(values) ? (values as Record<string, unknown>) : {}
  return { ...base, [head]: rest.length === 0 ? value : writePath(base[head], rest.join('.'), value) }
}
