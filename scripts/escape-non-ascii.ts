/**
 * Rewrites every non-ASCII character of a JavaScript bundle as a `\uXXXX` escape (astral characters as
 * their surrogate pair), so the bundle means the same whatever charset it is served with. JavaScript
 * reads these escapes alike in strings, templates, regular expressions and identifiers; a page that
 * loads the file without `charset=utf-8` would otherwise decode UTF-8 as windows-1252 and fail with
 * "Invalid or unexpected token" (an unquoted key such as `À:` in a bundled dependency).
 */
export function escapeNonAscii(source: string): string {
  return source.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
