/** One validation problem: which field, a permanent code, and advice a no-code user can act on. */
export interface ValidationIssue {
  field: string
  code: string
  message: string
  fix: string
}

/** Permanent codes of validation issues. */
export type IssueCode = 'REQUIRED' | 'INVALID_TYPE' | 'INVALID_VALUE' | 'OUT_OF_RANGE' | 'UNKNOWN_FIELD'

/** Builds one validation issue. */
export function issue(field: string, code: IssueCode, message: string, fix: string): ValidationIssue {
  return { field, code, message, fix }
}

/** Whether a value is a plain JSON-like object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** Reads the input as an object; anything else is treated as an empty input. */
export function asRecord(input: unknown): Record<string, unknown> {
  return isPlainObject(input) ? input : {}
}

/** The value is missing: `undefined`, `null` or a blank string. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
}

/** The issue of a value of the wrong type: "<label> must be <what>, but got <value>." */
function wrongType(field: string, label: string, what: string, value: unknown, fix: string): ValidationIssue[] {
  return [issue(field, 'INVALID_TYPE', `${label} must be ${what}, but got ${describe(value)}.`, fix)]
}

/** A required, non-blank text field. */
export function requireText(value: unknown, field: string, label: string, example: string): ValidationIssue[] {
  if (isBlank(value)) return [issue(field, 'REQUIRED', `${label} is required.`, `Enter ${example}.`)]
  return typeof value === 'string' ? [] : wrongType(field, label, 'text', value, `Enter ${example}, or bind it to a text value.`)
}

/** An optional on/off field. */
export function optionalBoolean(value: unknown, field: string, label: string): ValidationIssue[] {
  if (value === undefined || value === null || typeof value === 'boolean') return []
  return wrongType(field, label, 'on or off (true or false)', value, `Switch "${label}" on or off, or bind it to a true/false value.`)
}

/** An optional object field (e.g. `broadcast`); returns the issue when it is not an object. */
export function optionalObject(value: unknown, field: string, label: string, example: string): ValidationIssue[] {
  if (value === undefined || value === null || isPlainObject(value)) return []
  return wrongType(field, label, 'an object', value, `Use an object such as ${example}, or leave it empty.`)
}

/** An optional number within bounds. */
export function optionalNumber(value: unknown, field: string, label: string, min: number, max: number): ValidationIssue[] {
  const fix = `Enter a number between ${min} and ${max}.`
  if (value === undefined || value === null) return []
  if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(field, label, 'a number', value, fix)
  return value < min || value > max ? [issue(field, 'OUT_OF_RANGE', `${label} must be between ${min} and ${max}, but is ${value}.`, fix)] : []
}

/** A short human description of a value's type, for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'nothing (null)'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  if (typeof value === 'object') return 'an object'
  return `${typeof value === 'number' ? 'the number' : typeof value === 'boolean' ? 'the value' : typeof value} ${String(value)}`
}

/** Validates a channel name as users type it (no `realtime:` prefix). */
export function validateChannelName(value: unknown, field = 'channel'): ValidationIssue[] {
  const base = requireText(value, field, 'Channel name', 'a channel name, e.g. chat')
  if (base.length > 0) return base
  const name = (value as string).trim()
  const bare = name.replace(/^realtime:/i, '')
  if (bare !== name) {
    return [issue(field, 'INVALID_VALUE', `The channel name "${name}" starts with "realtime:", which the plugin adds itself.`, `Enter just the name, e.g. ${bare || 'chat'}.`)]
  }
  if (name.length > 255) return [issue(field, 'OUT_OF_RANGE', 'The channel name is longer than 255 characters.', 'Use a shorter channel name, e.g. chat or room:42.')]
  return []
}
