import type pg from 'pg'
import type { JwtClaims } from '../database-hooks'

/**
 * Makes the current transaction act as a JWT's caller, as PostgREST and Supabase Realtime do: the
 * role, and the settings RLS policies read (`request.jwt.claims`, `request.jwt.claim.sub|role`, so
 * `auth.uid()` and `auth.jwt()` work), plus `extra` settings (e.g. `realtime.topic`). Everything
 * is local to the transaction. Check the role is allowed before calling this.
 */
export async function setCallerSettings(client: pg.PoolClient, claims: JwtClaims, extra: Record<string, string> = {}): Promise<void> {
  const settings: Array<[string, string]> = [
    ['role', claims.role],
    ['request.jwt.claims', JSON.stringify(claims)],
    ['request.jwt.claim.sub', typeof claims.sub === 'string' ? claims.sub : ''],
    ['request.jwt.claim.role', claims.role],
    ...Object.entries(extra),
  ]
  await client.query(`select ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, settings.flat())
}
