import { signAccessToken } from './access-token'
import type { AuthAnswer, AuthContext } from './auth-context'
import type { IssuedSession } from './session-records'
import { userJson, type UserRow } from './user-json'

/**
 * The session Supabase Auth answers a sign-up or a token grant with: `access_token`,
 * `token_type: 'bearer'`, `expires_in`, `expires_at`, `refresh_token` and the `user`.
 */
export function sessionAnswer(ctx: AuthContext, user: UserRow, session: IssuedSession): AuthAnswer {
  const nowSeconds = Math.floor(Date.now() / 1000)
  const { token, expiresAt } = signAccessToken({
    user,
    sessionId: session.sessionId,
    issuer: ctx.issuer,
    secret: ctx.secret,
    expiry: ctx.expiry,
    signedInAt: session.signedInAt,
    nowSeconds,
  })
  return {
    status: 200,
    body: {
      access_token: token,
      token_type: 'bearer',
      expires_in: expiresAt - nowSeconds,
      expires_at: expiresAt,
      refresh_token: session.refreshToken,
      user: userJson(user),
    },
  }
}
