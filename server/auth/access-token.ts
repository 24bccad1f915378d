import { signJwt } from '../jwt'
import type { UserRow } from './user-json'

/** What an access token is signed for. */
export interface AccessTokenInput {
  user: UserRow
  sessionId: string
  /** `iss`: the `/auth/v1` URL the client called. */
  issuer: string
  secret: string
  /** Lifetime in seconds. */
  expiry: number
  /** When the session started (`amr[0].timestamp`), in seconds. */
  signedInAt: number
  nowSeconds: number
}

/**
 * An access token with Supabase Auth's claims (`sub`, `role`, `email`, `aud`, `exp`, `iat`,
 * `session_id`, `app_metadata`, `user_metadata`, `aal`, `amr`, `is_anonymous`), HS256-signed
 * with the server's JWT secret, so Realtime, `/rest/v1`, `auth.uid()` and `auth.jwt()` see the user.
 */
export function signAccessToken(input: AccessTokenInput): { token: string; expiresAt: number } {
  const { user } = input
  const expiresAt = input.nowSeconds + input.expiry
  const token = signJwt(
    {
      iss: input.issuer,
      sub: user.id,
      aud: user.aud ?? 'authenticated',
      exp: expiresAt,
      iat: input.nowSeconds,
      email: user.email ?? '',
      phone: user.phone ?? '',
      app_metadata: user.raw_app_meta_data ?? {},
      user_metadata: user.raw_user_meta_data ?? {},
      role: user.role ?? 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: input.signedInAt }],
      session_id: input.sessionId,
      is_anonymous: user.is_anonymous,
    },
    input.secret,
  )
  return { token, expiresAt }
}
