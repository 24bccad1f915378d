import { AuthError } from './auth-error'

type Entry = { status: number; code: string; message: string; reasons?: readonly string[] }

/**
 * Every error the local `/auth/v1` answers, worded once, with Supabase Auth's status, `error_code` and
 * message (so supabase-js and scripts written against a Supabase project see the same). Call sites
 * pass facts only. Keys are permanent.
 */
const AUTH_ERRORS = {
  invalidCredentials: () => ({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' }),
  unsupportedGrantType: () => ({ status: 400, code: 'invalid_credentials', message: 'unsupported_grant_type' }),
  emailOrPhoneOnLogin: () => ({ status: 400, code: 'validation_failed', message: 'Only an email address or phone number should be provided on login.' }),
  missingEmail: () => ({ status: 400, code: 'validation_failed', message: 'missing email or phone' }),
  userBanned: (facts: { onRefresh: boolean }) => ({ status: 400, code: 'user_banned', message: facts.onRefresh ? 'Invalid Refresh Token: User Banned' : 'User is banned' }),
  emailNotConfirmed: () => ({ status: 400, code: 'email_not_confirmed', message: 'Email not confirmed' }),
  refreshTokenNotFound: () => ({ status: 400, code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' }),
  refreshSessionNotFound: () => ({ status: 400, code: 'session_not_found', message: 'Invalid Refresh Token: No Valid Session Found' }),
  refreshSessionExpired: () => ({ status: 400, code: 'session_expired', message: 'Invalid Refresh Token: Session Expired' }),
  refreshTokenAlreadyUsed: () => ({ status: 400, code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' }),
  signupNeedsPassword: () => ({ status: 400, code: 'validation_failed', message: 'Signup requires a valid password' }),
  userAlreadyRegistered: () => ({ status: 422, code: 'user_already_exists', message: 'User already registered' }),
  emailExists: () => ({ status: 422, code: 'email_exists', message: 'A user with this email address has already been registered' }),
  weakPassword: (facts: { min: number }) => ({ status: 422, code: 'weak_password', message: `Password should be at least ${facts.min} characters.`, reasons: ['length'] }),
  passwordTooLong: (facts: { max: number }) => ({ status: 400, code: 'validation_failed', message: `Password cannot be longer than ${facts.max} characters` }),
  samePassword: () => ({ status: 422, code: 'same_password', message: 'New password should be different from the old password.' }),
  emailRequired: () => ({ status: 400, code: 'validation_failed', message: 'An email address is required' }),
  emailInvalid: () => ({ status: 400, code: 'email_address_invalid', message: 'Unable to validate email address: invalid format' }),
  badJson: (facts: { problem: string }) => ({ status: 400, code: 'bad_json', message: `Could not parse request body as JSON: ${facts.problem}` }),
  bodyTooLarge: (facts: { limit: number }) => ({ status: 413, code: 'request_entity_too_large', message: `Request body too large (max ${facts.limit} bytes)` }),
  noAuthorization: () => ({ status: 401, code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' }),
  badJwt: (facts: { reason: string }) => ({ status: 403, code: 'bad_jwt', message: `invalid JWT: unable to parse or verify signature, ${facts.reason}` }),
  missingSub: () => ({ status: 403, code: 'bad_jwt', message: 'invalid claim: missing sub claim' }),
  subNotUuid: () => ({ status: 400, code: 'bad_jwt', message: 'invalid claim: sub claim must be a UUID' }),
  sessionIdNotUuid: () => ({ status: 403, code: 'bad_jwt', message: 'invalid claim: session_id claim must be a UUID' }),
  tokenUserNotFound: () => ({ status: 403, code: 'user_not_found', message: 'User from sub claim in JWT does not exist' }),
  tokenSessionNotFound: () => ({ status: 403, code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' }),
  notAdmin: () => ({ status: 403, code: 'not_admin', message: 'User not allowed' }),
  appMetadataNeedsAdmin: () => ({ status: 403, code: 'not_admin', message: 'Updating app_metadata requires admin privileges' }),
  logoutScope: (facts: { scope: string }) => ({ status: 400, code: 'validation_failed', message: `Unsupported logout scope ${JSON.stringify(facts.scope)}` }),
  badPagination: (facts: { parameter: string }) => ({ status: 400, code: 'validation_failed', message: `Bad Pagination Parameters: ${facts.parameter} must be a positive integer` }),
  adminUserWithoutEmail: () => ({ status: 400, code: 'validation_failed', message: 'Cannot create a user without either an email or phone' }),
  adminIdNotUuid: () => ({ status: 400, code: 'validation_failed', message: 'ID must conform to the uuid v4 format' }),
  userIdNotUuid: () => ({ status: 404, code: 'validation_failed', message: 'user_id must be an UUID' }),
  userNotFound: () => ({ status: 404, code: 'user_not_found', message: 'User not found' }),
  methodNotAllowed: (facts: { method: string; path: string; allowed: string }) => ({
    status: 405,
    code: 'validation_failed',
    message: `${facts.method} is not allowed on /auth/v1${facts.path}; use ${facts.allowed}`,
  }),
  notFound: (facts: { method: string; path: string }) => ({
    status: 404,
    code: 'unknown',
    message: `Nothing is served at ${facts.method} /auth/v1${facts.path}. The local server answers /signup, /token, /user, /logout, /admin/users, /settings and /health.`,
  }),
  noDatabase: () => ({ status: 503, code: 'unexpected_failure', message: 'No database is connected to the local server: start it with a database (the default), not with `database: false`.' }),
  unexpected: () => ({ status: 500, code: 'unexpected_failure', message: 'Unexpected failure, please check server logs for more information' }),
  featureDisabled: (facts: { feature: string }) => ({
    status: 404,
    code: 'feature_disabled',
    message: `${facts.feature}: not available on the local server, which signs users in with email and password only. Try it against a Supabase project (supabase.com, or \`supabase start\`).`,
  }),
} as const satisfies Record<string, (facts: never) => Entry>

/** Permanent key of an `/auth/v1` error. */
export type AuthErrorKey = keyof typeof AUTH_ERRORS

/** The facts an error needs (none for most). */
type FactsOf<K extends AuthErrorKey> = Parameters<(typeof AUTH_ERRORS)[K]>

/** The {@link AuthError} of a catalog entry, worded from `facts`. */
export function authError<K extends AuthErrorKey>(key: K, ...facts: FactsOf<K>): AuthError {
  const make = AUTH_ERRORS[key] as (facts?: unknown) => Entry
  const entry = make(facts[0])
  return new AuthError(entry.status, entry.code, entry.message, entry.reasons ?? null)
}
