import type pg from 'pg'
import type { CallerQuery } from '../database-hooks'

/**
 * Runs `work` in one transaction on a connection of `pool`: commits when it resolves, rolls back
 * when it throws (the PostgreSQL error passes through).
 */
export async function runInTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient, query: CallerQuery) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let failed = false
  try {
    await client.query('begin')
    const query: CallerQuery = async (text, values = []) => {
      const result = await client.query<Record<string, unknown>>(text, values)
      return { rows: result.rows, rowCount: result.rowCount ?? 0 }
    }
    const result = await work(client, query)
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
