import pg from 'pg'
import type { DatabaseBroadcast, DatabaseHooks } from '../database-hooks'
import { authorizeRead, authorizeWrite } from './channel-authorization'
import { RealtimeServerError } from '../server-error'
import { deleteOldMessages, isMessagesChange, replayMessages, toDatabaseBroadcast } from './database-broadcasts'
import { PostgresChangesHub } from './postgres-changes-hub'
import { runAsAdmin } from './run-as-admin'
import { runAsCaller } from './run-as-caller'
import { startReplicationStream, type ReplicationStream } from './replication-stream'
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './start-embedded-postgres'
import { MESSAGES_PUBLICATION, REALTIME_PUBLICATION, SUPABASE_SCHEMA_SQL, TODOS_SEED_SQL } from './supabase-schema-sql'
import { TypeCatalog } from './type-catalog'

/** Options of {@link startDatabase}. */
export interface StartDatabaseOptions {
  /**
   * Connection string of an existing PostgreSQL (superuser, `wal_level=logical`). When absent, an
   * embedded PostgreSQL is started in a fresh temporary data directory.
   */
  url?: string
  /**
   * Port of the embedded PostgreSQL; `0` picks a free port.
   * @default 0
   */
  port?: number
  /**
   * Create the playground's examples: `public.todos` (in the publication; each signed-in user reads and
   * writes their own rows) and the RLS policies of the private support chat `chat`.
   * @default true for the embedded database, false for `url`
   */
  seed?: boolean
  /**
   * How often messages older than 72 h are deleted from `realtime.messages`.
   * @default 3_600_000 (one hour)
   */
  cleanupIntervalMs?: number
  /** Receives warnings (a change that could not be checked, a replication error). @default console.warn */
  onWarning?: (message: string, error?: unknown) => void
  /** Receives PostgreSQL's own log lines (embedded only). @default ignore them */
  onPostgresLog?: (line: string) => void
  /** Aborting it stops a start in progress (the embedded PostgreSQL included); the start rejects with `signal.reason`. */
  signal?: AbortSignal
}

/** How long a stop waits for the replication stream and the pool to close before PostgreSQL is stopped anyway. */
const GRACEFUL_CLOSE_MS = 3000

/** The database hooks plus what tools and tests need to know about the running database. */
export interface RunningDatabase extends DatabaseHooks {
  /** PID of the embedded PostgreSQL, or null for an external database. */
  readonly pid: number | null
}

async function applySchema(pool: pg.Pool, seed: boolean): Promise<void> {
  const client = await pool.connect()
  try {
    // NOTE: a lock, so two servers starting on one database do not race on `create ... if not exists`.
    await client.query('select pg_advisory_lock(7405171)')
    await client.query(SUPABASE_SCHEMA_SQL)
    if (seed) await client.query(TODOS_SEED_SQL)
  } catch (cause) {
    throw new RealtimeServerError('DATABASE_SETUP_FAILED', {}, { cause })
  } finally {
    await client.query('select pg_advisory_unlock(7405171)').catch(() => undefined)
    client.release()
  }
}

/**
 * Starts (or connects to) PostgreSQL, applies the Supabase-compatible setup, and streams changes
 * of `supabase_realtime` and of `realtime.messages`, returning the hooks the protocol layer calls.
 */
export async function startDatabase(options: StartDatabaseOptions = {}): Promise<RunningDatabase> {
  const warn = options.onWarning ?? ((message: string, error?: unknown) => console.warn(`[realtime db] ${message}`, error ?? ''))
  let embedded: EmbeddedPostgresHandle | null = null
  const { signal } = options
  const url =
    options.url ??
    (embedded = await startEmbeddedPostgres({
      port: options.port ?? 0,
      ...(options.onPostgresLog ? { onLog: options.onPostgresLog } : {}),
      ...(signal ? { signal } : {}),
    })).url
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c timezone=UTC' })
  let stopped = false
  pool.on('error', (error) => {
    if (!stopped) warn('A database connection failed', error)
  })
  let stream: ReplicationStream | null = null
  let cleanupTimer: ReturnType<typeof setInterval> | null = null
  const listeners = new Set<(message: DatabaseBroadcast) => void>()

  const cleanup = async () => {
    stopped = true
    if (cleanupTimer) clearInterval(cleanupTimer)
    // NOTE: bounded: a query still running under load must not keep PostgreSQL (and its folder) alive.
    let timer: NodeJS.Timeout | undefined
    const closed = Promise.all([stream?.stop(), pool.end().catch(() => undefined)])
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, GRACEFUL_CLOSE_MS)))])
    clearTimeout(timer)
    await embedded?.stop()
  }

  try {
    await pool.query('select 1').catch((cause: unknown) => {
      throw new RealtimeServerError('DATABASE_CONNECT_FAILED', { url: url.replace(/:[^:@/]*@/, ':***@') }, { cause })
    })
    signal?.throwIfAborted()
    await applySchema(pool, options.seed ?? embedded !== null)
    signal?.throwIfAborted()
    let markLive: () => void = () => {}
    const live = new Promise<void>((resolve) => (markLive = resolve))
    const hub = new PostgresChangesHub({ pool, types: new TypeCatalog(pool), live, onWarning: warn })
    const startStream = () =>
      startReplicationStream({
        url,
        publications: [REALTIME_PUBLICATION, MESSAGES_PUBLICATION],
        onError: (error) => warn('The replication stream reported an error', error),
        async prepare(transaction) {
          const tableChanges = transaction.changes.filter((change) => !isMessagesChange(change))
          const sendChanges = tableChanges.length > 0 ? await hub.prepareChanges(tableChanges, transaction.commitTimeMicros, transaction.xid) : null
          const broadcasts = transaction.changes.filter(isMessagesChange).map(toDatabaseBroadcast)
          return () => {
            sendChanges?.()
            for (const broadcast of broadcasts) {
              if (broadcast) for (const listener of listeners) listener(broadcast)
            }
          }
        },
      })
    const keepStreaming = (current: ReplicationStream): void => {
      void current.ended.then(async () => {
        // NOTE: the slot is temporary, so changes made while disconnected are not replayed.
        while (!stopped) {
          warn('The replication connection was lost; reconnecting in 1 s')
          await new Promise((resolve) => setTimeout(resolve, 1000))
          if (stopped) return
          try {
            const restarted = await startStream()
            if (stopped) {
              await restarted.stop()
              return
            }
            stream = restarted
            keepStreaming(restarted)
            return
          } catch (error) {
            warn('Could not restart the replication stream', error)
          }
        }
      })
    }
    stream = await startStream()
    signal?.throwIfAborted()
    keepStreaming(stream)
    markLive()
    const cleanupIntervalMs = options.cleanupIntervalMs ?? 3_600_000
    const runCleanup = () => {
      deleteOldMessages(pool).catch((error: unknown) => warn('Could not delete old realtime messages', error))
    }
    runCleanup()
    cleanupTimer = setInterval(runCleanup, cleanupIntervalMs)
    cleanupTimer.unref()

    let stopping: Promise<void> | undefined
    return {
      url,
      pid: embedded?.pid ?? null,
      authorizeRead: (ctx) => authorizeRead(pool, ctx),
      authorizeWrite: (ctx, extension) => authorizeWrite(pool, ctx, extension),
      subscribePostgresChanges: (args) => hub.subscribe(args),
      replay: (topic, since, limit) => replayMessages(pool, topic, since, limit),
      runAsCaller: (claims, work) => runAsCaller(pool, claims, work),
      runAsAdmin: (work) => runAsAdmin(pool, work),
      onBroadcast(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      stop() {
        stopping ??= cleanup()
        return stopping
      },
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}
