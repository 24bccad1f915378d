import type pg from 'pg'
import type { CallerQuery } from '../database-hooks'

/**
 * Runs `work` in one transaction as the server's own database user, as Supabase Auth does with
 * its `supabase_auth_admin` role: RLS does not apply. Commits when `work` resolves, rolls back
 * when it throws (the error passes through).
 */
export async function runAsAdmin<T>(pool: pg.Pool, work: (query: CallerQuery) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let failed = false
  try {
    await client.query('begin')
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
