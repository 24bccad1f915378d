import { FORBIDDEN_KEYS } from './expression-ast'

/** Sets `input.a.b = value` for the dotted name `a.b`, creating plain objects on the way. */
export function setDotted(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.')
  let node = target
  for (const [index, key] of keys.entries()) {
    if (FORBIDDEN_KEYS.has(key)) return
    if (index === keys.length - 1) {
      node[key] = value
      return
    }
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const created: Record<string, unknown> = {}
      node[key] = created
      node = created
    } else {
      node = next as Record<string, unknown>
    }
  }
}

/** Reads `input.a.b` for the dotted name `a.b` (own properties only). */
export function getDotted(source: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = source
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}
