import type pg from 'pg'
import type { CallerQuery } from '../database-hooks'
import { runInTransaction } from './run-in-transaction'

/**
 * Runs `work` in one transaction as the server's own database user, as Supabase Auth does with
 * its `supabase_auth_admin` role: RLS does not apply. Commits when `work` resolves, rolls back
 * when it throws (the error passes through).
 */
export function runAsAdmin<T>(pool: pg.Pool, work: (query: CallerQuery) => Promise<T>): Promise<T> {
  return runInTransaction(pool, (_client, query) => work(query))
}
