/**
 * Exact readers of PostgreSQL text values for the types the evaluator decides in JavaScript. Each
 * returns `null` for a form it does not read exactly; the caller then leaves the verdict to
 * PostgreSQL rather than approximate.
 */

/** PostgreSQL's white space (not JavaScript's wider `trim()`), around a value. */
const SPACE = /^[ \t\n\r\v\f]*|[ \t\n\r\v\f]*$/g
const strip = (text: string): string => text.replace(SPACE, '')

/** Orders two values of one type (numbers, bigints, strings), or a bigint against an infinity. */
export function compareValues<T extends number | bigint | string>(a: T, b: T): number {
  return a === b ? 0 : a < b ? -1 : 1
}

/** A finite decimal as sign, significant digits (no leading or trailing zeros) and exponent: value = ±0.D × 10^E. */
export interface Decimal {
  negative: boolean
  digits: string
  exponent: number
}

/** Reads a plain decimal (`12`, `-1.50`, `.5`, `1e3`); not `NaN`, `Infinity`, hex or underscores. */
export function parseDecimal(text: string): Decimal | null {
  const match = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/.exec(strip(text))
  const whole = match?.[2] ?? ''
  const all = whole + (match?.[3] ?? '')
  if (!match || all === '') return null
  const lead = all.search(/[1-9]/)
  if (lead < 0) return { negative: false, digits: '', exponent: 0 }
  return { negative: match[1] === '-', digits: all.slice(lead).replace(/0+$/, ''), exponent: whole.length - lead + Number(match[4] ?? 0) }
}

/** Compares two decimals exactly. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const sign = (d: Decimal): number => (d.digits === '' ? 0 : d.negative ? -1 : 1)
  const s = sign(a)
  // NOTE: digits have no trailing zeros, so with equal exponents their text order is their numeric order.
  return s !== sign(b) ? compareValues(s, sign(b)) : s * (compareValues(a.exponent, b.exponent) || compareValues(a.digits, b.digits))
}

/** Reads a `float8` the way PostgreSQL does (correctly rounded), with `NaN` and infinities. */
export function parseFloat8(text: string): number | null {
  const trimmed = strip(text)
  if (/^nan$/i.test(trimmed)) return Number.NaN
  const infinity = /^([+-]?)inf(inity)?$/i.exec(trimmed)
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : null
}

/** Orders floats as PostgreSQL does: NaN equals NaN and is greater than every other value. */
export function compareFloat(a: number, b: number): number {
  const nanA = Number.isNaN(a)
  const nanB = Number.isNaN(b)
  return nanA || nanB ? Number(nanA) - Number(nanB) : compareValues(a, b)
}

/** Reads a boolean as PostgreSQL's `boolin`: t/true/yes/on/1 and f/false/no/off/0, any unique prefix, any case. */
export function parseBool(text: string): boolean | null {
  const value = strip(text).toLowerCase()
  return /^(t(r(ue?)?)?|y(es?)?|on|1)$/.test(value) ? true : /^(f(a(l(se?)?)?)?|no?|off?|0)$/.test(value) ? false : null
}

/** Reads a uuid in any form PostgreSQL accepts (braces, hyphens after groups of four, any case) as 32 lower-case hex digits. */
export function parseUuid(text: string): string | null {
  const m = /^(\{?)((?:[0-9a-f]{4}-?){7}[0-9a-f]{4})(\}?)$/i.exec(text)
  return m && (m[1] === '{') === (m[3] === '}') ? (m[2] as string).replace(/-/g, '').toLowerCase() : null
}

/** Microseconds since 1970-01-01 (or days, for dates), or `±Infinity` for `infinity` and `-infinity`. */
export type TimeValue = bigint | number

/**
 * Days since 1970-01-01 of a date of the proleptic Gregorian calendar, `null` when there is no
 * such day. The calendar repeats every 400 years (146097 days), so JavaScript's Date reads the
 * year moved into 2000–2399, where it is exact.
 */
function daysOf(year: number, month: number, day: number): number | null {
  const date = new Date(Date.UTC(2000 + (year % 400), month - 1, day))
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return date.getTime() / 86_400_000 + (Math.floor(year / 400) - 5) * 146_097
}

/** Microseconds of a time of day, `null` out of range (`maxSecond` 60 admits a leap second; 24:00:00 is the latest). */
function clock(h: string | undefined, m: string | undefined, s: string | undefined, fraction = '', maxSecond: number): bigint | null {
  const hour = Number(h ?? 0)
  const minute = Number(m ?? 0)
  const second = Number(s ?? 0)
  if (minute > 59 || second > maxSecond || hour > 24 || (hour === 24 && (minute > 0 || second > 0 || /[1-9]/.test(fraction)))) return null
  return BigInt(hour * 3600 + minute * 60 + second) * 1_000_000n + BigInt(fraction.padEnd(6, '0'))
}

const TIMESTAMP = /^(\d{4,6})-(\d{1,2})-(\d{1,2})(?:(?:t| +)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)? *(?:(z)|([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?)?$/

/**
 * Reads an ISO timestamp (`2025-01-02`, `2025-01-02 03:04:05.000500+02`, `…T…Z`, `infinity`) to
 * microseconds. `withZone`: an offset shifts the time and a missing one means UTC (the server's
 * sessions run in UTC); without, an offset is ignored, as `timestamp` input does. `dateOnly`: the
 * date part in days, as `date` input reads it. Other forms (`now`, `Jan 2 2025`, BC, more than six
 * fraction digits) are `null`.
 */
export function parseTimestamp(input: string, mode: 'timestamptz' | 'timestamp' | 'date'): TimeValue | null {
  const text = strip(input).toLowerCase()
  if (/^\+?infinity$/.test(text)) return Infinity
  if (text === '-infinity') return -Infinity
  const m = TIMESTAMP.exec(text)
  if (!m) return null
  const n = (i: number): number => Number(m[i] ?? 0)
  const days = daysOf(n(1), n(2), n(3))
  if (days === null) return null
  if (mode === 'date') return BigInt(days)
  const time = clock(m[4], m[5], m[6], m[7], 60)
  const zoned = mode === 'timestamptz' && m[9]
  if (time === null || (zoned && (n(10) > 15 || n(11) > 59 || n(12) > 59))) return null
  const offset = zoned ? (m[9] === '-' ? -1 : 1) * (n(10) * 3600 + n(11) * 60 + n(12)) : 0
  return BigInt(days) * 86_400_000_000n + time - BigInt(offset) * 1_000_000n
}

/** Reads a `time` (`03:04`, `03:04:05.123456`, up to `24:00:00`) to microseconds since midnight. */
export function parseTime(input: string): bigint | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(strip(input))
  return m && clock(m[1], m[2], m[3], m[4], 59)
}
