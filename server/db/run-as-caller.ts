import type pg from 'pg'
import type { CallerQuery, JwtClaims } from '../database-hooks'
import { setCallerSettings } from './caller-settings'

/**
 * Runs `work` in one transaction as the caller ({@link setCallerSettings}), as PostgREST does:
 * `auth.uid()` and `auth.jwt()` work, and `service_role` bypasses RLS. Commits when `work`
 * resolves, rolls back when it throws (the PostgreSQL error passes through).
 */
export async function runAsCaller<T>(pool: pg.Pool, claims: JwtClaims, work: (query: CallerQuery) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let failed = false
  try {
    await client.query('begin')
    // NOTE: only the roles the API may switch to (members of `authenticator`), never e.g. `postgres`.
    const { rows } = await client.query<{ allowed: boolean }>(
      `select case when exists (select 1 from pg_roles where rolname = $1) then pg_has_role('authenticator', $1, 'MEMBER') else false end as allowed`,
      [claims.role],
    )
    if (!rows[0]?.allowed) throw Object.assign(new Error(`permission denied to set role "${claims.role}"`), { code: '42501' })
    await setCallerSettings(client, claims, { 'request.method': '' })
    const query: CallerQuery = async (text, values = []) => {
      const result = await client.query<Record<string, unknown>>(text, values)
      return { rows: result.rows, rowCount: result.rowCount ?? 0 }
    }
    const result = await work(query)
    await client.query('commit')
    return result
  } catch (error) {
    failed = true
    await client.query('rollback').catch(() => undefined)
    throw error
  } finally {
    // NOTE: a connection whose transaction broke is not handed out again.
    client.release(failed ? true : undefined)
  }
}
