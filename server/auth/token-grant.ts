import type { AuthAnswer, AuthContext } from './auth-context'
import { AuthError, AuthOAuthError } from './auth-error'
import { authError } from './auth-errors'
import { stringField } from './check-credentials'
import { verifyPassword } from './password-hash'
import { createSession, rotateRefreshToken } from './session-records'
import { sessionAnswer } from './session-answer'
import { unsupportedAuthFeature } from './unsupported-auth-feature'
import { findUserByEmail, findUserById, touchSignIn } from './user-records'
import type { UserRow } from './user-json'

/** Compared against when the email is unknown, so a wrong email takes as long as a wrong password. */
const NO_USER_HASH = '$scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=='

function checkNotBanned(user: UserRow, onRefresh: boolean): void {
  if (user.banned_until && new Date(user.banned_until).getTime() > Date.now()) throw authError('userBanned', { onRefresh })
}

/** `grant_type=password` (supabase-js `auth.signInWithPassword`): a new session, or `400 invalid_credentials`. */
async function passwordGrant(ctx: AuthContext): Promise<AuthAnswer> {
  const body = await ctx.request.json()
  const email = stringField(body, 'email').trim().toLowerCase()
  const phone = stringField(body, 'phone')
  const password = stringField(body, 'password')
  if (email !== '' && phone !== '') throw authError('emailOrPhoneOnLogin')
  if (phone !== '') throw unsupportedAuthFeature('Sign-in with a phone number')
  if (email === '') throw authError('missingEmail')
  const user = await ctx.run((query) => findUserByEmail(query, email))
  const matches = await verifyPassword(password, user?.encrypted_password ?? NO_USER_HASH)
  if (!user || !matches) throw authError('invalidCredentials')
  checkNotBanned(user, false)
  if (!user.email_confirmed_at) throw authError('emailNotConfirmed')
  return ctx.run(async (query) => {
    const session = await createSession(query, user.id, ctx.request.userAgent)
    await touchSignIn(query, user.id)
    return sessionAnswer(ctx, (await findUserById(query, user.id)) ?? user, session)
  })
}

/**
 * `grant_type=refresh_token` (supabase-js `auth.refreshSession` and its auto-refresh): rotates the
 * refresh token as Supabase Auth does (see {@link rotateRefreshToken}) and signs a new access token.
 */
async function refreshTokenGrant(ctx: AuthContext): Promise<AuthAnswer> {
  const body = await ctx.request.json()
  const token = stringField(body, 'refresh_token')
  if (token === '') throw new AuthOAuthError('invalid_request', 'refresh_token required')
  const result = await ctx.run(async (query) => {
    const rotated = await rotateRefreshToken(query, token, ctx.reuseInterval)
    if (rotated instanceof AuthError) return rotated
    const user = await findUserById(query, rotated.userId)
    if (!user) return authError('refreshTokenNotFound')
    return { rotated, user }
  })
  // NOTE: an error found while rotating is answered after its transaction committed (a reuse revokes the session).
  if (result instanceof AuthError) throw result
  checkNotBanned(result.user, true)
  return sessionAnswer(ctx, result.user, result.rotated)
}

const OTHER_GRANTS: Record<string, string> = {
  id_token: 'Sign-in with an ID token from an OAuth provider',
  pkce: 'The PKCE flow (OAuth and magic links)',
  web3: 'Sign-in with a Web3 wallet',
}

/** `POST /token?grant_type=…`: the password and refresh-token grants. */
export function tokenGrant(ctx: AuthContext): Promise<AuthAnswer> {
  const grant = ctx.request.query.get('grant_type') ?? ''
  if (grant === 'password') return passwordGrant(ctx)
  if (grant === 'refresh_token') return refreshTokenGrant(ctx)
  const feature = OTHER_GRANTS[grant]
  if (feature) throw unsupportedAuthFeature(feature)
  throw authError('unsupportedGrantType')
}
