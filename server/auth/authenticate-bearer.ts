import type { JwtClaims } from '../database-hooks'
import { verifyToken } from '../jwt'
import type { AuthContext } from './auth-context'
import { authError } from './auth-errors'
import { sessionExists } from './session-records'
import { findUserById } from './user-records'
import type { UserRow } from './user-json'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The verified claims of the request's bearer token, with Supabase Auth's errors (`no_authorization`, `bad_jwt`). */
export function bearerClaims(ctx: AuthContext): JwtClaims {
  const token = ctx.request.bearer
  if (!token) throw authError('noAuthorization')
  const verified = verifyToken(token, ctx.secret)
  if (verified.ok) return verified.claims
  const reason = verified.expired
    ? 'token has invalid claims: token is expired'
    : verified.code === 'JwtSignatureError'
      ? 'token signature is invalid: signature is invalid'
      : verified.code === 'MalformedJWT'
        ? 'token is malformed: could not parse the token'
        : verified.message
  throw authError('badJwt', { reason })
}

/** The signed-in user of the request, and the session of its token (null for a token without `session_id`). */
export async function requireUser(ctx: AuthContext): Promise<{ claims: JwtClaims; user: UserRow; sessionId: string | null }> {
  const claims = bearerClaims(ctx)
  const sub = typeof claims.sub === 'string' ? claims.sub : ''
  if (sub === '') throw authError('missingSub')
  if (!UUID.test(sub)) throw authError('subNotUuid')
  const sessionId = typeof claims.session_id === 'string' && claims.session_id !== '' && claims.session_id !== '00000000-0000-0000-0000-000000000000' ? claims.session_id : null
  if (sessionId !== null && !UUID.test(sessionId)) throw authError('sessionIdNotUuid')
  return ctx.run(async (query) => {
    const user = await findUserById(query, sub)
    if (!user) throw authError('tokenUserNotFound')
    if (sessionId !== null && !(await sessionExists(query, sessionId))) {
      throw authError('tokenSessionNotFound')
    }
    return { claims, user, sessionId }
  })
}

/** Roles allowed to use `/admin/…` (Supabase Auth's `GOTRUE_JWT_ADMIN_ROLES`). */
const ADMIN_ROLES = ['service_role', 'supabase_admin']

/** Checks the bearer token is the service key (or another admin role): else `403 not_admin`. */
export function requireAdmin(ctx: AuthContext): JwtClaims {
  const claims = bearerClaims(ctx)
  if (!ADMIN_ROLES.includes(claims.role)) throw authError('notAdmin')
  return claims
}
