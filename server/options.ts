import type { DatabaseHooks } from './database-hooks'
import { isDatabaseHooks, type DatabaseOption } from './db/database-option'
import { createConsoleLogger, type LogLevel, type RealtimeLogger } from './logger'
import { RealtimeServerError } from './server-error'

/**
 * Limits of the local Realtime server. Defaults mirror the self-hosted Realtime defaults
 * (docs/realtime-protocol.md §7.6). Rates are counted over a sliding window of `rateWindowMs`: a rate of
 * N per second is exceeded when more than N × rateWindowMs / 1000 events fell in the last window.
 */
export interface RealtimeLimits {
  /** Channels one socket may have joined at once. @default 100 */
  maxChannelsPerClient: number
  /** Channel joins per second, server-wide. @default 100 */
  maxJoinsPerSecond: number
  /** Sockets counted on their first join attempt that passes this check. @default 200 */
  maxConcurrentUsers: number
  /** Messages per second, server-wide: every message received plus every message delivered. @default 100 */
  maxEventsPerSecond: number
  /** Largest broadcast payload or presence meta, in KB (1 KB = 1000 bytes of JSON). @default 3000 */
  maxPayloadSizeKb: number
  /** Presence calls (track or untrack) one channel may make per `presenceWindowMs`. @default 5 */
  presenceMaxCalls: number
  /** Window of `presenceMaxCalls`. @default 30000 */
  presenceWindowMs: number
  /** Window over which per-second rates are averaged (the real server uses a 60 s rolling average). @default 60000 */
  rateWindowMs: number
}

/** Options of {@link startRealtimeServer}. Every field is optional; defaults mirror `supabase start`. */
export interface RealtimeServerOptions {
  /** TCP port; `0` picks a free one. @default 54321 */
  port?: number
  /** Address to bind. @default '127.0.0.1' */
  host?: string
  /** HS256 secret that signs and verifies JWTs. @default 'super-secret-jwt-token-with-at-least-32-characters-long' */
  jwtSecret?: string
  /** Lifetime of the access tokens `/auth/v1` issues, in seconds (like `JWT_EXPIRY`). @default 3600 */
  jwtExpiry?: number
  /**
   * Seconds during which a refresh token that was just rotated may still be used (concurrent
   * refreshes); used later, it revokes its whole session (like `GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL`). @default 10
   */
  refreshTokenReuseInterval?: number
  /** Limits; unspecified ones keep their defaults. */
  limits?: Partial<RealtimeLimits>
  /** Delay before a refused WebSocket upgrade is answered (like `CONNECT_ERROR_BACKOFF_MS`). @default 2000 */
  connectErrorBackoffMs?: number
  /** Delay before a join error reply (like `CHANNEL_ERROR_BACKOFF_MS`). @default 5000 */
  channelErrorBackoffMs?: number
  /** A socket that sends nothing for this long is closed. @default 60000 */
  idleTimeoutMs?: number
  /** Longest wait between two token-expiry checks of a joined channel. @default 3600000 */
  tokenCheckIntervalMs?: number
  /** Refuse public channels (`PrivateOnly: This project only allows private channels`). @default false */
  privateOnly?: boolean
  /**
   * The database for private channels, postgres_changes, replay and broadcasts from the database.
   * Omitted: `DATABASE_URL` if set, else an embedded PostgreSQL (port 54322, or a free port when
   * `port` is 0) that stops with the server. `{ url }` / `{ port }`: choose it. Ready-made
   * `DatabaseHooks`: used as is. `false`: no database; private joins and postgres_changes bindings
   * fail with `UnableToConnectToProject`.
   */
  database?: DatabaseOption
  /** Where refused and ignored input is reported. Overrides `logLevel`. */
  logger?: RealtimeLogger
  /** Console log level when no `logger` is given. @default 'error' */
  logLevel?: LogLevel
  /**
   * Aborting it stops a start in progress (the embedded PostgreSQL included: its process is stopped
   * and its folder deleted), and `startRealtimeServer` rejects with `signal.reason`. No effect once started.
   */
  signal?: AbortSignal
}

/** Options with every default applied. */
export interface ResolvedOptions {
  port: number
  host: string
  jwtSecret: string
  jwtExpiry: number
  refreshTokenReuseInterval: number
  limits: RealtimeLimits
  connectErrorBackoffMs: number
  channelErrorBackoffMs: number
  idleTimeoutMs: number
  tokenCheckIntervalMs: number
  privateOnly: boolean
  database: DatabaseHooks | null
  logger: RealtimeLogger
}

/** The JWT secret of `supabase start`. */
export const DEFAULT_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long'

/** Default limits (docs/realtime-protocol.md §7.6). */
export const DEFAULT_LIMITS: Readonly<RealtimeLimits> = Object.freeze({
  maxChannelsPerClient: 100,
  maxJoinsPerSecond: 100,
  maxConcurrentUsers: 200,
  maxEventsPerSecond: 100,
  maxPayloadSizeKb: 3000,
  presenceMaxCalls: 5,
  presenceWindowMs: 30_000,
  rateWindowMs: 60_000,
})

function nonNegative(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RealtimeServerError('INVALID_OPTION', {
      option,
      value,
      message: `\`${option}\` must be a number >= 0, got ${JSON.stringify(value)}.`,
    })
  }
  return value
}

/** Apply defaults and validate; throws `RealtimeServerError('INVALID_OPTION')` naming the field. */
export function resolveOptions(options: RealtimeServerOptions = {}): ResolvedOptions {
  const port = nonNegative('port', options.port, 54321)
  if (!Number.isInteger(port) || port > 65535) {
    throw new RealtimeServerError('INVALID_OPTION', { option: 'port', value: port, message: '`port` must be an integer from 0 to 65535.' })
  }
  const jwtSecret = options.jwtSecret ?? DEFAULT_JWT_SECRET
  if (typeof jwtSecret !== 'string' || jwtSecret.length === 0) {
    throw new RealtimeServerError('INVALID_OPTION', { option: 'jwtSecret', message: '`jwtSecret` must be a non-empty string.' })
  }
  const jwtExpiry = nonNegative('jwtExpiry', options.jwtExpiry, 3600)
  if (!Number.isInteger(jwtExpiry) || jwtExpiry < 1) {
    throw new RealtimeServerError('INVALID_OPTION', { option: 'jwtExpiry', value: jwtExpiry, message: '`jwtExpiry` must be a whole number of seconds, at least 1.' })
  }
  const limits = { ...DEFAULT_LIMITS }
  for (const key of Object.keys(options.limits ?? {}) as Array<keyof RealtimeLimits>) {
    if (!(key in DEFAULT_LIMITS)) {
      throw new RealtimeServerError('INVALID_OPTION', {
        option: `limits.${key}`,
        message: `Unknown limit \`${key}\`; known limits: ${Object.keys(DEFAULT_LIMITS).join(', ')}.`,
      })
    }
    limits[key] = nonNegative(`limits.${key}`, options.limits?.[key], DEFAULT_LIMITS[key])
  }
  if (limits.rateWindowMs < 1) limits.rateWindowMs = 1
  return {
    port,
    host: options.host ?? '127.0.0.1',
    jwtSecret,
    jwtExpiry,
    refreshTokenReuseInterval: nonNegative('refreshTokenReuseInterval', options.refreshTokenReuseInterval, 10),
    limits,
    connectErrorBackoffMs: nonNegative('connectErrorBackoffMs', options.connectErrorBackoffMs, 2000),
    channelErrorBackoffMs: nonNegative('channelErrorBackoffMs', options.channelErrorBackoffMs, 5000),
    idleTimeoutMs: nonNegative('idleTimeoutMs', options.idleTimeoutMs, 60_000),
    tokenCheckIntervalMs: Math.max(1, nonNegative('tokenCheckIntervalMs', options.tokenCheckIntervalMs, 3_600_000)),
    privateOnly: options.privateOnly === true,
    database: isDatabaseHooks(options.database) ? options.database : null,
    logger: options.logger ?? createConsoleLogger(options.logLevel ?? 'error'),
  }
}
