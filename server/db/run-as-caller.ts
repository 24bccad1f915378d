import type pg from 'pg'
import type { CallerQuery, JwtClaims } from '../database-hooks'
import { setCallerSettings } from './caller-settings'
import { runInTransaction } from './run-in-transaction'

/**
 * Runs `work` in one transaction as the caller ({@link setCallerSettings}), as PostgREST does:
 * `auth.uid()` and `auth.jwt()` work, and `service_role` bypasses RLS. Commits when `work`
 * resolves, rolls back when it throws (the PostgreSQL error passes through).
 */
export function runAsCaller<T>(pool: pg.Pool, claims: JwtClaims, work: (query: CallerQuery) => Promise<T>): Promise<T> {
  return runInTransaction(pool, async (client, query) => {
    // NOTE: only the roles the API may switch to (members of `authenticator`), never e.g. `postgres`.
    const { rows } = await client.query<{ allowed: boolean }>(
      `select case when exists (select 1 from pg_roles where rolname = $1) then pg_has_role('authenticator', $1, 'MEMBER') else false end as allowed`,
      [claims.role],
    )
    if (!rows[0]?.allowed) throw Object.assign(new Error(`permission denied to set role "${claims.role}"`), { code: '42501' })
    await setCallerSettings(client, claims, { 'request.method': '' })
    return work(query)
  })
}
