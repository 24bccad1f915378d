/** A stable, well-spread hue per key: the same key gets the same colour in every window. */
function hueOf(key: string): number {
  // NOTE: FNV-1a, then the golden angle, so close keys (user-1, user-2) land far apart on the wheel.
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return Math.round((hash * 137.508) % 360)
}

/** The default cursor colour of a presence key: a stable `hsl(…)` readable on white. */
export function cursorColor(key: string): string {
  return `hsl(${hueOf(key)}, 75%, 42%)`
}
