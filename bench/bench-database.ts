import pg from 'pg'
import { startDatabase, type RunningDatabase } from '../server/db/start-database'
import { startRealtimeServer, type RealtimeServer } from '../server/index'

/** The embedded database, a local server on it and an SQL connection as `postgres`, for one bench. */
export interface BenchDatabase {
  db: RunningDatabase
  server: RealtimeServer
  sql: pg.Client
  /** Closes the SQL connection, then stops the server and the database. */
  stop(): Promise<void>
}

/**
 * Starts the embedded database and a server on a free port with limits no bench reaches (other
 * settings at their defaults), then runs `setup` as `postgres`.
 */
export async function startBenchDatabase(setup: string): Promise<BenchDatabase> {
  const db = await startDatabase({ onWarning: (message, error) => console.error(message, error) })
  const server = await startRealtimeServer({
    port: 0,
    database: db,
    logLevel: 'error',
    limits: { maxEventsPerSecond: 10_000_000, maxConcurrentUsers: 10_000, maxJoinsPerSecond: 10_000 },
  })
  const sql = new pg.Client({ connectionString: db.url })
  await sql.connect()
  await sql.query(setup)
  return {
    db,
    server,
    sql,
    async stop() {
      await sql.end()
      await server.stop()
      await db.stop()
    },
  }
}
