import { startRealtimeServer } from '../server/index'

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Realtime server port; `0` picks a free one. @default 54321 */
  realtimePort?: number
  /** Embedded PostgreSQL port; `0` picks a free one. Ignored when `DATABASE_URL` is set. @default 54322 */
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
  /** Stops the server and the PostgreSQL it started; safe to call more than once. */
  stop(): Promise<void>
}

/**
 * Starts the Realtime server with its database: `DATABASE_URL` when set, else an embedded PostgreSQL
 * seeded with `public.todos`, which stops with the server.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const server = await startRealtimeServer({
    port: options.realtimePort ?? 54321,
    logLevel: options.logLevel ?? 'error',
    // NOTE: `false` says "no database" explicitly, so the server does not start one of its own.
    database: options.withoutDatabase ? false : { port: options.databasePort ?? 54322 },
  })
  let stopping: Promise<void> | null = null
  return {
    url: server.url,
    anonKey: server.anonKey,
    serviceRoleKey: server.serviceRoleKey,
    databaseUrl: server.databaseUrl,
    stop() {
      stopping ??= server.stop()
      return stopping
    },
  }
}
