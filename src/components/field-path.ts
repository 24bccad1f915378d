import type { FieldSpec } from '../../editor-config/manifest-types'

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

/** `values` with the default of each unset field, so a new form (or list item) shows what will be used; `values` itself when none is missing. */
export function withDefaults(values: Record<string, unknown>, fields: readonly FieldSpec[]): Record<string, unknown> {
  let next = values
  for (const f of fields) if (f.default !== undefined && readPath(next, f.name) === undefined) next = writePath(next, f.name, f.default)
  return next
}
