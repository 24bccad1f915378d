import type { RealtimeRestClient } from './realtime-rest-client'

/**
 * The presence key of a channel that sets none: the signed-in user's id, else the `sub` of the
 * Realtime access token, else `fallback`. The only place the plugin reads `client.auth`.
 */
export async function defaultPresenceKey(client: RealtimeRestClient, fallback: string): Promise<string> {
  try {
    // NOTE: a client built with the `accessToken` option throws on `auth` access.
    const id = (await client.auth?.getSession())?.data.session?.user.id
    if (id) return id
  } catch {
    // fall through: no auth client
  }
  return tokenSubject(client.realtime.accessTokenValue) ?? fallback
}

/** The `sub` claim of a JWT (without verifying it), or `null`: who the token signs in. */
export function tokenSubject(token: string | null): string | null {
  const part = token?.split('.')[1]
  if (!part) return null
  try {
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown }
    return typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null
  } catch {
    return null
  }
}
