import type { DemoUser } from '../playground/runtime/demo-users'
import { startRealtimeServer } from '../server/index'
import { seedDemoUsers } from './seed-demo-users'

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
  /** Access token lifetime of `/auth/v1`, in seconds. @default 3600 */
  jwtExpiry?: number
}

/** The local Realtime server and its PostgreSQL, started together. */
export interface RunningStack {
  url: string
  anonKey: string
  serviceRoleKey: string
  /** `postgres://…` of the database, or `null` without one. */
  databaseUrl: string | null
  /** The demo users that can sign in to the playground (none without a database). */
  demoUsers: readonly DemoUser[]
  /** Stops the server and the PostgreSQL it started; safe to call more than once. */
  stop(): Promise<void>
}

/**
 * Starts the Realtime server with its database: `DATABASE_URL` when set, else an embedded PostgreSQL
 * seeded with `public.todos`, which stops with the server. With a database, the demo users of the
 * playground are created (`playground/runtime/demo-users.ts`).
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const server = await startRealtimeServer({
    port: options.realtimePort ?? 54321,
    logLevel: options.logLevel ?? 'error',
    // NOTE: `false` says "no database" explicitly, so the server does not start one of its own.
    database: options.withoutDatabase ? false : { port: options.databasePort ?? 54322 },
    ...(options.jwtExpiry === undefined ? {} : { jwtExpiry: options.jwtExpiry }),
  })
  let demoUsers: readonly DemoUser[] = []
  try {
    if (server.databaseUrl) demoUsers = await seedDemoUsers(server.url, server.serviceRoleKey)
  } catch (error) {
    await server.stop()
    throw error
  }
  let stopping: Promise<void> | null = null
  return {
    url: server.url,
    anonKey: server.anonKey,
    serviceRoleKey: server.serviceRoleKey,
    databaseUrl: server.databaseUrl,
    demoUsers,
    stop() {
      stopping ??= server.stop()
      return stopping
    },
  }
}
