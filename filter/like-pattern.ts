const cache = new Map<string, RegExp>()

/**
 * A LIKE pattern as PostgreSQL reads it (default escape `\`): `%` any run of characters, `_` one
 * character (a code point, so an emoji counts as one), `\x` the literal `x`; `*` and everything
 * else is literal. The pattern must not end with a lone backslash (the parser rejects it).
 * Returns the anchored source of the same test as a regular expression, which JavaScript (flags
 * `su`) and PostgreSQL (`~`, where `.` also matches a newline) read alike.
 */
export function likeToRegExpSource(pattern: string): string {
  const source = pattern.replace(/\\?(.)/gsu, (all, char: string) =>
    all === '%' ? '.*' : all === '_' ? '.' : /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char,
  )
  return `^${source}$`
}

/** {@link likeToRegExpSource} as a JavaScript regular expression (cached). */
export function likeToRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern)
  if (regexp) return regexp
  regexp = new RegExp(likeToRegExpSource(pattern), 'su')
  if (cache.size > 500) cache.clear()
  cache.set(pattern, regexp)
  return regexp
}

/** Whether `text` matches the LIKE `pattern` (case-sensitive). */
export function likeMatches(text: string, pattern: string): boolean {
  return likeToRegExp(pattern).test(text)
}

/** Lower-cases A–Z only (how every PostgreSQL locale folds ASCII). */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase())
}

/** Whether the text is plain ASCII (its ILIKE case folding is the same in every locale). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false
  return true
}
