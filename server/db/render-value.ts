/** What the database layer knows about a column type (from `pg_type`). */
export interface PgTypeInfo {
  /** `typname`, e.g. `int8`, `text`, `_text`, `timestamptz`. */
  name: string
  /** `typcategory`: N numeric, B boolean, S string, D date/time, A array, U user-defined, ... */
  category: string
  /** Element type of an array type. */
  element?: PgTypeInfo
}

const NUMBER_TYPES = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid'])

/** Built-in types by OID, so the common cases need no catalog lookup. */
export const BUILTIN_TYPES: ReadonlyMap<number, PgTypeInfo> = (() => {
  const base: Array<[number, string, string, number?]> = [
    [16, 'bool', 'B', 1000], [17, 'bytea', 'U', 1001], [18, 'char', 'Z', 1002], [19, 'name', 'S', 1003],
    [20, 'int8', 'N', 1016], [21, 'int2', 'N', 1005], [23, 'int4', 'N', 1007], [25, 'text', 'S', 1009],
    [26, 'oid', 'N', 1028], [114, 'json', 'U', 199], [700, 'float4', 'N', 1021], [701, 'float8', 'N', 1022],
    [1042, 'bpchar', 'S', 1014], [1043, 'varchar', 'S', 1015], [1082, 'date', 'D', 1182], [1083, 'time', 'D', 1183],
    [1114, 'timestamp', 'D', 1115], [1184, 'timestamptz', 'D', 1185], [1186, 'interval', 'T', 1187],
    [1266, 'timetz', 'D', 1270], [1700, 'numeric', 'N', 1231], [2950, 'uuid', 'U', 2951], [3802, 'jsonb', 'U', 3807],
    [869, 'inet', 'I', 1041], [650, 'cidr', 'I', 651], [829, 'macaddr', 'U', 1040], [790, 'money', 'N', 791],
  ]
  const map = new Map<number, PgTypeInfo>()
  for (const [oid, name, category, arrayOid] of base) {
    const info: PgTypeInfo = { name, category }
    map.set(oid, info)
    if (arrayOid !== undefined) map.set(arrayOid, { name: `_${name}`, category: 'A', element: info })
  }
  return map
})()

/** Parses a PostgreSQL array literal (`{a,"b c",NULL,{1,2}}`) into nested arrays of strings and nulls. */
export function parseArrayLiteral(text: string): unknown[] {
  let i = 0
  // NOTE: a literal may start with dimensions, e.g. `[0:1]={1,2}`.
  if (text.startsWith('[')) i = text.indexOf('=') + 1
  function parseLevel(): unknown[] {
    const out: unknown[] = []
    i++ // '{'
    while (i < text.length) {
      const char = text[i]
      if (char === '}') {
        i++
        return out
      }
      if (char === ',') {
        i++
        continue
      }
      if (char === '{') {
        out.push(parseLevel())
        continue
      }
      if (char === '"') {
        i++
        let value = ''
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++
          value += text[i] ?? ''
          i++
        }
        i++
        out.push(value)
        continue
      }
      let value = ''
      while (i < text.length && text[i] !== ',' && text[i] !== '}') {
        value += text[i]
        i++
      }
      const trimmed = value.trim()
      out.push(trimmed.toUpperCase() === 'NULL' ? null : trimmed)
    }
    return out
  }
  return text[i] === '{' ? parseLevel() : []
}

function renderTimestampTz(text: string): string {
  // `2025-11-03 09:32:55.123+00` -> `2025-11-03T09:32:55.123+00:00`, as to_jsonb(timestamptz) renders it.
  const iso = text.replace(' ', 'T')
  const match = /([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(iso)
  if (!match || !iso.includes('T')) return iso
  const [whole, hours, minutes, seconds] = match
  return iso.slice(0, iso.length - whole.length) + `${hours}:${minutes ?? '00'}` + (seconds ? `:${seconds}` : '')
}

/**
 * Renders a column value from its text form the way `to_jsonb(value::type)` does, which is how
 * Supabase Realtime puts values in `record` / `old_record`: numbers, booleans, JSON, arrays, ISO dates.
 */
export function renderValue(text: string | null, type: PgTypeInfo): unknown {
  if (text === null) return null
  if (type.category === 'A' && type.element) {
    const element = type.element
    const render = (items: unknown[]): unknown[] =>
      items.map((item) => (Array.isArray(item) ? render(item) : renderValue(item as string | null, element)))
    return render(parseArrayLiteral(text))
  }
  switch (type.name) {
    case 'bool':
      return text === 't' || text === 'true'
    case 'json':
    case 'jsonb':
      try {
        return JSON.parse(text) as unknown
      } catch {
        return text
      }
    case 'timestamptz':
      return renderTimestampTz(text)
    case 'timestamp':
      return text.replace(' ', 'T')
    default:
      break
  }
  if (NUMBER_TYPES.has(type.name)) {
    const number = Number(text)
    return Number.isFinite(number) ? number : text
  }
  return text
}
