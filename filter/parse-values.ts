/**
 * Exact readers of PostgreSQL text values for the types the evaluator decides in JavaScript. Each
 * returns `null` for a form it does not read exactly; the caller then leaves the verdict to
 * PostgreSQL rather than approximate.
 */

const SPACE = /^[ \t\n\r\v\f]*|[ \t\n\r\v\f]*$/g

/** A finite decimal as sign, significant digits (no leading or trailing zeros) and exponent: value = ±0.D × 10^E. */
export interface Decimal {
  negative: boolean
  digits: string
  exponent: number
}

/** Reads a plain decimal (`12`, `-1.50`, `.5`, `1e3`); not `NaN`, `Infinity`, hex or underscores. */
export function parseDecimal(text: string): Decimal | null {
  const match = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/.exec(text.replace(SPACE, ''))
  if (!match) return null
  const whole = match[2] ?? ''
  const fraction = match[3] ?? ''
  if (whole === '' && fraction === '') return null
  const all = whole + fraction
  const lead = all.search(/[1-9]/)
  if (lead < 0) return { negative: false, digits: '', exponent: 0 }
  const digits = all.slice(lead).replace(/0+$/, '')
  return { negative: match[1] === '-', digits, exponent: whole.length - lead + Number(match[4] ?? 0) }
}

/** Compares two decimals exactly. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const signA = a.digits === '' ? 0 : a.negative ? -1 : 1
  const signB = b.digits === '' ? 0 : b.negative ? -1 : 1
  if (signA !== signB) return signA < signB ? -1 : 1
  if (signA === 0) return 0
  let magnitude: number
  if (a.exponent !== b.exponent) magnitude = a.exponent < b.exponent ? -1 : 1
  else {
    const length = Math.max(a.digits.length, b.digits.length)
    const x = a.digits.padEnd(length, '0')
    const y = b.digits.padEnd(length, '0')
    magnitude = x === y ? 0 : x < y ? -1 : 1
  }
  return signA * magnitude
}

/** Reads a `float8` the way PostgreSQL does (correctly rounded), with `NaN` and infinities. */
export function parseFloat8(text: string): number | null {
  const trimmed = text.replace(SPACE, '')
  const special = trimmed.toLowerCase()
  if (special === 'nan') return Number.NaN
  if (special === 'infinity' || special === '+infinity' || special === 'inf' || special === '+inf') return Number.POSITIVE_INFINITY
  if (special === '-infinity' || special === '-inf') return Number.NEGATIVE_INFINITY
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : null
}

/** Orders floats as PostgreSQL does: NaN equals NaN and is greater than every other value. */
export function compareFloat(a: number, b: number): number {
  const nanA = Number.isNaN(a)
  const nanB = Number.isNaN(b)
  if (nanA || nanB) return nanA === nanB ? 0 : nanA ? 1 : -1
  return a === b ? 0 : a < b ? -1 : 1
}

/** Reads a boolean as PostgreSQL's `boolin`: t/true/yes/on/1 and f/false/no/off/0, any unique prefix, any case. */
export function parseBool(text: string): boolean | null {
  const value = text.replace(SPACE, '').toLowerCase()
  if (value === '') return null
  if ('true'.startsWith(value) || 'yes'.startsWith(value) || value === 'on' || value === '1') return true
  if ('false'.startsWith(value) || 'no'.startsWith(value) || (value.length >= 2 && 'off'.startsWith(value)) || value === '0') return false
  return null
}

/** Reads a uuid in any form PostgreSQL accepts (braces, hyphens after groups of four, any case) as 32 lower-case hex digits. */
export function parseUuid(text: string): string | null {
  const braced = text.startsWith('{')
  if (braced !== text.endsWith('}')) return null
  const inner = braced ? text.slice(1, -1) : text
  if (!/^([0-9a-fA-F]{4}-?){7}[0-9a-fA-F]{4}$/.test(inner)) return null
  return inner.replace(/-/g, '').toLowerCase()
}

/** Infinite time values. */
export const INFINITY = 'infinity'
export const MINUS_INFINITY = '-infinity'

/** Microseconds since 1970-01-01 (or days, for dates), or one of the infinities. */
export type TimeValue = bigint | typeof INFINITY | typeof MINUS_INFINITY

const MICROS_PER_DAY = 86_400_000_000n

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function special(text: string): TimeValue | null {
  const value = text.toLowerCase()
  if (value === 'infinity' || value === '+infinity') return INFINITY
  if (value === '-infinity') return MINUS_INFINITY
  return null
}

const TIMESTAMP = /^(\d{4,6})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]| +)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)? *(?:([Zz])|([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?)?$/

/**
 * Reads an ISO timestamp (`2025-01-02`, `2025-01-02 03:04:05.000500+02`, `…T…Z`, `infinity`) to
 * microseconds. `withZone`: an offset shifts the time and a missing one means UTC (the server's
 * sessions run in UTC); without, an offset is ignored, as `timestamp` input does. `dateOnly`: the
 * date part in days, as `date` input reads it. Other forms (`now`, `Jan 2 2025`, BC, more than six
 * fraction digits) are `null`.
 */
export function parseTimestamp(input: string, mode: 'timestamptz' | 'timestamp' | 'date'): TimeValue | null {
  const text = input.replace(SPACE, '')
  const inf = special(text)
  if (inf) return inf
  const m = TIMESTAMP.exec(text)
  if (!m) return null
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  const days = daysFromCivil(year, month, day)
  if (mode === 'date') return BigInt(days)
  const hour = Number(m[4] ?? 0)
  const minute = Number(m[5] ?? 0)
  const second = Number(m[6] ?? 0)
  const fraction = m[7] ?? ''
  if (minute > 59 || second > 60 || hour > 24 || (hour === 24 && (minute > 0 || second > 0 || /[1-9]/.test(fraction)))) return null
  let micros = BigInt(days) * MICROS_PER_DAY + BigInt(hour * 3600 + minute * 60 + second) * 1_000_000n + BigInt(fraction.padEnd(6, '0') || '0')
  if (mode === 'timestamptz' && m[9]) {
    const offset = Number(m[10]) * 3600 + Number(m[11] ?? 0) * 60 + Number(m[12] ?? 0)
    if (Number(m[10]) > 15 || Number(m[11] ?? 0) > 59 || Number(m[12] ?? 0) > 59) return null
    micros -= BigInt(m[9] === '-' ? -offset : offset) * 1_000_000n
  }
  return micros
}

/** Reads a `time` (`03:04`, `03:04:05.123456`, up to `24:00:00`) to microseconds since midnight. */
export function parseTime(input: string): bigint | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(input.replace(SPACE, ''))
  if (!m) return null
  const hour = Number(m[1])
  const minute = Number(m[2])
  const second = Number(m[3] ?? 0)
  const fraction = m[4] ?? ''
  if (minute > 59 || second > 59 || hour > 24 || (hour === 24 && (minute > 0 || second > 0 || /[1-9]/.test(fraction)))) return null
  return BigInt(hour * 3600 + minute * 60 + second) * 1_000_000n + BigInt(fraction.padEnd(6, '0') || '0')
}

/** Compares time values, infinities included. */
export function compareTime(a: TimeValue, b: TimeValue): number {
  const rank = (v: TimeValue) => (v === MINUS_INFINITY ? -1 : v === INFINITY ? 1 : 0)
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== 0 || rb !== 0) return ra === rb ? 0 : ra < rb ? -1 : 1
  return a === b ? 0 : (a as bigint) < (b as bigint) ? -1 : 1
}
