const SPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f'])

/**
 * Reads the items of an `in.(…)` list the way PostgreSQL reads the one-dimensional array literal
 * `{…}` the server builds from it: items split on commas, double quotes group (with backslash
 * escapes), a backslash escapes one character, spaces around an unquoted item are dropped, and an
 * unquoted `NULL` (any case) is SQL NULL. Returns the problem as text when it is not a valid list.
 */
export function parseInList(inner: string): Array<string | null> | string {
  const items: Array<string | null> = []
  let i = 0
  const n = inner.length
  if ([...inner].every((char) => SPACE.has(char))) return items
  for (;;) {
    while (i < n && SPACE.has(inner[i] as string)) i++
    let text = ''
    let significant = 0
    let literal = false
    let quoted = false
    while (i < n) {
      const char = inner[i] as string
      if (char === '\\') {
        if (i + 1 >= n) return 'it ends with a lone backslash'
        text += inner[i + 1] as string
        significant = text.length
        literal = true
        i += 2
        continue
      }
      if (quoted) {
        if (char === '"') quoted = false
        else {
          text += char
          significant = text.length
        }
        i++
        continue
      }
      if (char === '"') {
        quoted = true
        literal = true
        i++
        continue
      }
      if (char === ',') break
      if (char === '{' || char === '}') return 'a brace must be inside double quotes'
      text += char
      if (!SPACE.has(char)) significant = text.length
      i++
    }
    if (quoted) return 'a double quote is not closed'
    const item = text.slice(0, significant)
    if (item === '' && !literal) return 'a value is empty (write "" for empty text)'
    items.push(!literal && item.toUpperCase() === 'NULL' ? null : item)
    if (i >= n) return items
    i++ // the comma
  }
}
