const SPACE = /[ \t\n\r\v\f]/

/**
 * Reads the items of an `in.(…)` list the way PostgreSQL reads the one-dimensional array literal
 * `{…}` the server builds from it: items split on commas, double quotes group (with backslash
 * escapes), a backslash escapes one character, spaces around an unquoted item are dropped, and an
 * unquoted `NULL` (any case) is SQL NULL. Returns the problem as text when it is not a valid list.
 */
export function parseInList(inner: string): Array<string | null> | string {
  const items: Array<string | null> = []
  if (/^[ \t\n\r\v\f]*$/.test(inner)) return items
  for (let i = 0; ; i++) {
    while (SPACE.test(inner[i] ?? '')) i++
    let text = ''
    let significant = 0
    let literal = false
    let quoted = false
    for (; i < inner.length; i++) {
      let char = inner[i] as string
      const escaped = char === '\\'
      if (escaped) {
        if (++i === inner.length) return 'it ends with a lone backslash'
        char = inner[i] as string
      } else if (char === '"') {
        quoted = !quoted
        literal = true
        continue
      } else if (!quoted) {
        if (char === ',') break
        if (char === '{' || char === '}') return 'a brace must be inside double quotes'
      }
      text += char
      literal ||= escaped
      if (escaped || quoted || !SPACE.test(char)) significant = text.length
    }
    if (quoted) return 'a double quote is not closed'
    const item = text.slice(0, significant)
    if (item === '' && !literal) return 'a value is empty (write "" for empty text)'
    items.push(!literal && item.toUpperCase() === 'NULL' ? null : item)
    if (i >= inner.length) return items
  }
}
