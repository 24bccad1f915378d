import { createHmac, timingSafeEqual } from 'node:crypto'
import type { JwtClaims } from './database-hooks'

/** Why a token was refused; `code` is the join-error prefix of docs/realtime-protocol.md §7.3. */
export interface JwtFailure {
  ok: false
  code: 'MalformedJWT' | 'JwtSignatureError' | 'JwtSignerError' | 'InvalidJWTToken'
  message: string
  /** Set when the only problem is expiry (the connect-time message omits the seconds). */
  expired?: boolean
}

/** Result of {@link verifyJwt}. */
export type JwtResult = { ok: true; claims: JwtClaims } | JwtFailure

const HS_ALGS = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const

const b64url = (input: string | Buffer): string => Buffer.from(input).toString('base64url')

/** Sign `claims` as an HS256 JWT with header `{"alg":"HS256","typ":"JWT"}` (key order kept). */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const body = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}

/** `exp` of the demo keys of `supabase start`. */
export const DEMO_KEY_EXP = 1983812996

/** The anon and service_role keys `supabase start` derives from a JWT secret. */
export function createDemoKeys(secret: string): { anonKey: string; serviceRoleKey: string } {
  return {
    anonKey: signJwt({ iss: 'supabase-demo', role: 'anon', exp: DEMO_KEY_EXP }, secret),
    serviceRoleKey: signJwt({ iss: 'supabase-demo', role: 'service_role', exp: DEMO_KEY_EXP }, secret),
  }
}

const MALFORMED: JwtFailure = { ok: false, code: 'MalformedJWT', message: 'The token provided is not a valid JWT' }

function parseJsonSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/**
 * Claims of an opaque Supabase API key: `sb_publishable_…` acts as anon and `sb_secret_…` as
 * service_role (the gateway swaps them for JWTs in front of the real server). `null` otherwise.
 */
export function claimsForOpaqueKey(key: string): JwtClaims | null {
  if (key.startsWith('sb_publishable_')) return { iss: 'supabase-demo', role: 'anon', exp: DEMO_KEY_EXP }
  if (key.startsWith('sb_secret_')) return { iss: 'supabase-demo', role: 'service_role', exp: DEMO_KEY_EXP }
  return null
}

/**
 * Verify an HS256/384/512 JWT and its `role` and `exp` claims, with the error messages of the
 * real server (docs/realtime-protocol.md §6.1). Whitespace is stripped and the token URL-decoded first.
 */
export function verifyJwt(rawToken: string, secret: string, nowMs: number = Date.now()): JwtResult {
  let token = rawToken.replace(/\s+/g, '')
  try {
    token = decodeURIComponent(token)
  } catch {
    // NOTE: not URL-encoded; verify as is.
  }
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[0] || !parts[1]) return MALFORMED
  const [h, p, s] = parts as [string, string, string]
  const header = parseJsonSegment(h)
  const claims = parseJsonSegment(p)
  if (!header || !claims) return MALFORMED
  const alg = header.alg
  const hash = typeof alg === 'string' ? HS_ALGS[alg as keyof typeof HS_ALGS] : undefined
  if (!hash) {
    const kid = typeof header.kid === 'string' ? header.kid : null
    return {
      ok: false,
      code: 'JwtSignerError',
      message: kid
        ? `Failed to generate JWT signer for key ID (kid) "${kid}", check your JWT secret or JWKS configuration`
        : 'Failed to generate JWT signer, check your JWT secret or JWKS configuration',
    }
  }
  const expected = createHmac(hash, secret).update(`${h}.${p}`).digest()
  const given = Buffer.from(s, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'JwtSignatureError', message: 'Failed to validate JWT signature' }
  }
  if (claims.role === undefined || claims.role === null || claims.exp === undefined || claims.exp === null) {
    return { ok: false, code: 'InvalidJWTToken', message: 'Fields `role` and `exp` are required in JWT' }
  }
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp) || typeof claims.role !== 'string') {
    return { ok: false, code: 'InvalidJWTToken', message: 'Token expiration time is invalid' }
  }
  if (claims.iat !== undefined && typeof claims.iat !== 'number') {
    return { ok: false, code: 'InvalidJWTToken', message: 'Token expiration time is invalid' }
  }
  const exp = Math.round(claims.exp)
  const now = Math.floor(nowMs / 1000)
  if (exp <= now) {
    return { ok: false, code: 'InvalidJWTToken', message: `Token has expired ${now - exp} seconds ago`, expired: true }
  }
  return { ok: true, claims: { ...claims, role: claims.role, exp } }
}

/** Verify an API key or access token: opaque `sb_` keys map to fixed claims, anything else is a JWT. */
export function verifyToken(token: string, secret: string, nowMs: number = Date.now()): JwtResult {
  const opaque = claimsForOpaqueKey(token)
  return opaque ? { ok: true, claims: opaque } : verifyJwt(token, secret, nowMs)
}
