import { startDatabase } from '../server/db/start-database'
import { startRealtimeServer } from '../server/index'

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Realtime server port; `0` picks a free one. @default 54321 */
  realtimePort?: number
  /** Embedded PostgreSQL port; `0` picks a free one. @default 54322 */
  databasePort?: number
  /** Start without PostgreSQL (broadcast and presence only). @default false */
  withoutDatabase?: boolean
  /** Server log level. @default 'error' */
  logLevel?: 'silent' | 'error' | 'warn' | 'info'
}

/** The local Realtime server and its PostgreSQL, started together. */
export interface RunningStack {
  url: string
  anonKey: string
  serviceRoleKey: string
  /** `postgres://…` of the database, or `null` without one. */
  databaseUrl: string | null
  /** Stops the server, then PostgreSQL; safe to call more than once. */
  stop(): Promise<void>
}

/** Starts PostgreSQL (seeded with `public.todos`) and the Realtime server on top of it. */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const database = options.withoutDatabase ? null : await startDatabase({ port: options.databasePort ?? 54322 })
  let server: Awaited<ReturnType<typeof startRealtimeServer>>
  try {
    server = await startRealtimeServer({
      port: options.realtimePort ?? 54321,
      logLevel: options.logLevel ?? 'error',
      // NOTE: `false` says "no database" explicitly, so the server never starts one of its own here.
      database: database ?? false,
    })
  } catch (error) {
    await database?.stop()
    throw error
  }
  let stopping: Promise<void> | null = null
  return {
    url: server.url,
    anonKey: server.anonKey,
    serviceRoleKey: server.serviceRoleKey,
    databaseUrl: database?.url ?? null,
    stop() {
      stopping ??= (async () => {
        try {
          await server.stop()
        } finally {
          await database?.stop()
        }
      })()
      return stopping
    },
  }
}
