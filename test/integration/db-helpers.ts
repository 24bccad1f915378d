import type { RealtimeChannel, RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { startDatabase, type RunningDatabase, type StartDatabaseOptions } from '../../server/db/start-database'
import type { RealtimeServer, RealtimeServerOptions } from '../../server/index'
import { signJwt } from '../../server/jwt'
import { isRealtimeServerError } from '../../server/server-error'
import { startTestServer, waitFor } from '../helpers/server-fixture'

/** A `postgres_changes` payload as supabase-js hands it to callbacks. */
export type ChangePayload = RealtimePostgresChangesPayload<Record<string, unknown>>

/** A `system` message as supabase-js hands it to `.on('system', {}, cb)`. */
export interface SystemMessage {
  extension?: string
  status?: string
  message?: string
  channel?: string
}

/** A user JWT (role `authenticated`, `sub` = `userId`) signed with the server's secret. */
export function userJwt(secret: string, userId: string, extra: Record<string, unknown> = {}): string {
  return signJwt({ role: 'authenticated', sub: userId, aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600, ...extra }, secret)
}

/** A channel under test, with everything it received. */
export interface WatchedChannel {
  channel: RealtimeChannel
  /** Changes per binding label. */
  changes: Map<string, ChangePayload[]>
  system: SystemMessage[]
  broadcasts: Array<{ event: string; payload: unknown; meta?: unknown }>
  statuses: string[]
  errors: string[]
}

export interface WatchOptions {
  bindings: Array<{
    label: string
    event: '*' | 'INSERT' | 'UPDATE' | 'DELETE'
    schema?: string
    table: string
    filter?: string
    /** Sent as is, to test how the server treats it. */
    select?: unknown
  }>
  config?: Parameters<SupabaseClient['channel']>[1]
  /** Wait for this status before resolving. @default 'SUBSCRIBED' */
  until?: 'SUBSCRIBED' | 'CHANNEL_ERROR' | 'none'
  /** Also wait for the `system` postgres_changes message (ok or error). @default true when there are bindings */
  waitForSystem?: boolean
}

/** Creates a channel with `postgres_changes` bindings, `system` and broadcast listeners, and subscribes. */
export async function watchChannel(client: SupabaseClient, name: string, options: WatchOptions): Promise<WatchedChannel> {
  const channel = client.channel(name, options.config)
  const watched: WatchedChannel = { channel, changes: new Map(), system: [], broadcasts: [], statuses: [], errors: [] }
  for (const binding of options.bindings) {
    const list: ChangePayload[] = []
    watched.changes.set(binding.label, list)
    const filter = {
      event: binding.event,
      schema: binding.schema ?? 'public',
      table: binding.table,
      ...(binding.filter === undefined ? {} : { filter: binding.filter }),
      ...(binding.select === undefined ? {} : { select: binding.select }),
    }
    channel.on('postgres_changes', filter as { event: '*'; schema: string; table: string; filter?: string }, (payload: ChangePayload) => {
      list.push(payload)
    })
  }
  channel.on('system', {}, (payload: SystemMessage) => watched.system.push(payload))
  channel.on('broadcast', { event: '*' }, (message: { event: string; payload: unknown; meta?: unknown }) => watched.broadcasts.push(message))
  channel.subscribe((status, error) => {
    watched.statuses.push(status)
    if (error) watched.errors.push(error.message)
  })
  const until = options.until ?? 'SUBSCRIBED'
  if (until !== 'none') await waitFor(() => watched.statuses.includes(until), 15_000, `${name} ${until}`)
  const waitForSystem = options.waitForSystem ?? options.bindings.length > 0
  if (waitForSystem) {
    await waitFor(() => watched.system.some((m) => m.extension === 'postgres_changes'), 15_000, `${name} postgres_changes system message`)
  }
  return watched
}

/** The changes of one binding label as `TYPE:id` strings. */
export function changeKeys(watched: WatchedChannel, label: string): string[] {
  return (watched.changes.get(label) ?? []).map((change) => {
    const row = (change.eventType === 'DELETE' ? change.old : change.new) as Record<string, unknown>
    return `${change.eventType}:${String(row.id)}`
  })
}

/**
 * Starts the database for a suite, failing at once with the error's code, message and fix when it
 * cannot start (instead of a bare stack, or a hook that waits for its timeout).
 */
export async function startTestDatabase(options: StartDatabaseOptions = {}): Promise<RunningDatabase> {
  try {
    return await startDatabase(options)
  } catch (error) {
    if (isRealtimeServerError(error)) throw new Error(`${error.message}\nFix: ${error.fix}`, { cause: error })
    throw error
  }
}

/** A suite's embedded database, a server on it and an SQL connection. */
export interface DatabaseStand {
  db: RunningDatabase
  server: RealtimeServer
  /** Connected as `postgres` (RLS does not apply): for setting up tables and reading the truth. */
  sql: pg.Client
  /** Closes the SQL connection, then stops the server and the database. */
  stop(): Promise<void>
}

/** Options of {@link startDatabaseStand}. */
export interface DatabaseStandOptions {
  database?: StartDatabaseOptions
  /** Options of the server, over the test defaults and `database`. */
  server?: RealtimeServerOptions
  /** Session options of the SQL connection, e.g. `-c timezone=UTC`. */
  sqlOptions?: string
}

/**
 * Starts the database ({@link startTestDatabase}), a test server on it and an SQL connection.
 * Stop everything with `await stand.stop()` in `afterAll`.
 */
export async function startDatabaseStand(options: DatabaseStandOptions = {}): Promise<DatabaseStand> {
  const db = await startTestDatabase(options.database)
  let server: RealtimeServer | undefined
  let sql: pg.Client | undefined
  const stop = async () => {
    await sql?.end()
    await server?.stop()
    await db.stop()
  }
  try {
    server = await startTestServer({ database: db, ...options.server })
    const client = new pg.Client({ connectionString: db.url, ...(options.sqlOptions === undefined ? {} : { options: options.sqlOptions }) })
    await client.connect()
    sql = client
    return { db, server, sql, stop }
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
}
