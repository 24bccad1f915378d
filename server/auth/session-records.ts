import { randomBytes } from 'node:crypto'
import type { CallerQuery } from '../database-hooks'
import type { AuthError } from './auth-error'
import { authError } from './auth-errors'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A random refresh token (12 letters and digits, like Supabase Auth's). */
function newRefreshToken(): string {
  const bytes = randomBytes(24)
  let token = ''
  for (const byte of bytes) {
    // NOTE: 248 = 4 × 62: bytes above it are skipped, so every character is equally likely.
    if (byte < 248) token += ALPHABET[byte % 62]
    if (token.length === 12) return token
  }
  return token + newRefreshToken().slice(token.length)
}

/** A session and the refresh token that continues it. */
export interface IssuedSession {
  sessionId: string
  userId: string
  refreshToken: string
  /** When the session started, in seconds. */
  signedInAt: number
}

/** Starts a session for a user (`auth.sessions`) with its first refresh token (`auth.refresh_tokens`). */
export async function createSession(query: CallerQuery, userId: string, userAgent: string | null): Promise<IssuedSession> {
  const { rows } = await query(
    `insert into auth.sessions (id, user_id, aal, refreshed_at, user_agent) values (gen_random_uuid(), $1::uuid, 'aal1', now() at time zone 'utc', $2) returning id::text, floor(extract(epoch from created_at))::int as signed_in_at`,
    [userId, userAgent],
  )
  const sessionId = String(rows[0]?.id)
  const signedInAt = Number(rows[0]?.signed_in_at)
  const refreshToken = newRefreshToken()
  await query(`insert into auth.refresh_tokens (token, user_id, revoked, session_id) values ($1, $2, false, $3::uuid)`, [refreshToken, userId, sessionId])
  return { sessionId, userId, refreshToken, signedInAt }
}

/**
 * The refresh-token grant with rotation, as Supabase Auth does it: the token is revoked and a
 * child issued. A revoked token is accepted again when it is the parent of the session's active
 * token (the client missed the answer: the active one is returned) or within `reuseIntervalSec`
 * of its revocation (concurrent refreshes: a new child). Later, its reuse revokes every token of
 * the session and ends the session. Returns an {@link AuthError} to answer after committing.
 */
export async function rotateRefreshToken(query: CallerQuery, token: string, reuseIntervalSec: number): Promise<IssuedSession | AuthError> {
  const { rows } = await query(
    `select rt.id, rt.token, rt.user_id, rt.revoked, rt.session_id::text as session_id,
            extract(epoch from (now() - rt.updated_at)) as revoked_for, s.id is not null as has_session,
            s.not_after is not null and s.not_after <= now() as session_ended,
            floor(extract(epoch from s.created_at))::int as signed_in_at
       from auth.refresh_tokens rt left join auth.sessions s on s.id = rt.session_id
      where rt.token = $1 for update of rt`,
    [token],
  )
  const row = rows[0]
  if (!row) return authError('refreshTokenNotFound')
  if (!row.has_session) return authError('refreshSessionNotFound')
  if (row.session_ended) return authError('refreshSessionExpired')
  const userId = String(row.user_id)
  const sessionId = String(row.session_id)
  const signedInAt = Number(row.signed_in_at)
  // NOTE: locks the session, so two refreshes of one session run one after the other.
  await query(`select id from auth.sessions where id = $1::uuid for update`, [sessionId])
  if (row.revoked === true) {
    const active = await query(`select token, parent from auth.refresh_tokens where session_id = $1::uuid and revoked = false order by id desc limit 1`, [sessionId])
    const current = active.rows[0]
    if (current && current.parent === token) return { sessionId, userId, refreshToken: String(current.token), signedInAt }
    if (Number(row.revoked_for) > reuseIntervalSec) {
      await query(`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1::uuid and revoked = false`, [sessionId])
      await query(`update auth.sessions set not_after = now(), updated_at = now() where id = $1::uuid`, [sessionId])
      return authError('refreshTokenAlreadyUsed')
    }
  } else {
    await query(`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`, [row.id])
  }
  const refreshToken = newRefreshToken()
  await query(`insert into auth.refresh_tokens (token, user_id, revoked, session_id, parent) values ($1, $2, false, $3::uuid, $4)`, [refreshToken, userId, sessionId, token])
  await query(`update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = $1::uuid`, [sessionId])
  return { sessionId, userId, refreshToken, signedInAt }
}

/** True when the session exists (a signed-out session does not). */
export async function sessionExists(query: CallerQuery, sessionId: string): Promise<boolean> {
  const { rows } = await query(`select 1 from auth.sessions where id = $1::uuid`, [sessionId])
  return rows.length > 0
}

/** Where `POST /logout?scope=` signs out: every session of the user, this one, or the others. */
export type LogoutScope = 'global' | 'local' | 'others'

/** Ends sessions; their refresh tokens go with them, so they can no longer be refreshed. */
export async function endSessions(query: CallerQuery, userId: string, sessionId: string | null, scope: LogoutScope): Promise<void> {
  if (sessionId && scope === 'local') await query(`delete from auth.sessions where id = $1::uuid`, [sessionId])
  else if (sessionId && scope === 'others') await query(`delete from auth.sessions where user_id = $1::uuid and id <> $2::uuid`, [userId, sessionId])
  else await query(`delete from auth.sessions where user_id = $1::uuid`, [userId])
}
