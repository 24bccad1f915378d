import { authError } from './auth-errors'

/** Supabase Auth's default minimum password length. */
export const MIN_PASSWORD_LENGTH = 6
/** Longest password Supabase Auth accepts. */
const MAX_PASSWORD_LENGTH = 72

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** A string field of a JSON body, or '' when absent; a non-string is `400 bad_json` (a type mismatch). */
export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw authError('badJson', { problem: `json: cannot unmarshal ${typeof value} into Go struct field .${name} of type string` })
  return value
}

/** An object field (`data`, `user_metadata`, `app_metadata`), or null when absent. */
export function objectField(body: Record<string, unknown>, name: string): Record<string, unknown> | null {
  const value = body[name]
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw authError('badJson', { problem: `json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go struct field .${name} of type map[string]interface {}` })
  }
  return value as Record<string, unknown>
}

/** The email, trimmed and lower-cased, or `400 validation_failed` / `email_address_invalid`. */
export function checkEmail(raw: string): string {
  const email = raw.trim().toLowerCase()
  if (email === '') throw authError('emailRequired')
  if (email.length > 255 || !EMAIL.test(email)) throw authError('emailInvalid')
  return email
}

/** Supabase Auth's password strength check: `422 weak_password` (reason `length`) below 6 characters. */
export function checkPassword(password: string): void {
  if ([...password].length > MAX_PASSWORD_LENGTH) throw authError('passwordTooLong', { max: MAX_PASSWORD_LENGTH })
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw authError('weakPassword', { min: MIN_PASSWORD_LENGTH })
  }
}
