import { FORBIDDEN_KEYS } from './expression-ast'

/**
 * Reads one step of a path without ever reaching inherited or prototype members: own properties of
 * plain objects, `Map` entries, array items and `length`. Anything else reads as `undefined`.
 */
export function readProperty(target: unknown, key: string | number): unknown {
  if (target === null || target === undefined) return undefined
  if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) return undefined
  if (target instanceof Map) {
    const map = target as Map<unknown, unknown>
    return map.has(key) ? map.get(key) : map.get(String(key))
  }
  if (Array.isArray(target)) {
    if (key === 'length') return target.length
    const index = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : -1
    return index >= 0 && index < target.length ? (target[index] as unknown) : undefined
  }
  if (typeof target === 'string') {
    return key === 'length' ? target.length : undefined
  }
  if (typeof target === 'object') {
    const name = String(key)
    return Object.prototype.hasOwnProperty.call(target, name) ? (target as Record<string, unknown>)[name] : undefined
  }
  return undefined
}
