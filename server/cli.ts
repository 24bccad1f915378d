import { exitGuard } from './db/exit-guard'
import type { RealtimeLimits } from './options'
import { isRealtimeServerError } from './server-error'
import type { RealtimeServer } from './start-realtime-server'

// `npm run realtime`: the local Realtime server in the foreground until SIGINT/SIGTERM/SIGHUP (Ctrl-C),
// at any moment, startup included; a second signal stops at once. Every way out ends with a
// "Realtime stopped" line and leaves no PostgreSQL process or data folder behind.
// `npm run realtime -- clean`: deletes the embedded PostgreSQL's caches (templates, binary copies).
// Env: REALTIME_PORT (54321), REALTIME_HOST (127.0.0.1), DATABASE_URL (an existing PostgreSQL), else
// DATABASE_PORT (54322, 0 = a free port) for the embedded one, JWT_SECRET, JWT_EXPIRY (seconds an access token of
// /auth/v1 lasts, 3600), REFRESH_TOKEN_REUSE_INTERVAL (10), REALTIME_LOG_LEVEL (info),
// REALTIME_PRIVATE_ONLY=true, and limits as TENANT_MAX_CONCURRENT_USERS, TENANT_MAX_EVENTS_PER_SECOND,
// TENANT_MAX_JOINS_PER_SECOND, TENANT_MAX_CHANNELS_PER_CLIENT, MAX_PAYLOAD_SIZE_KB,
// CLIENT_PRESENCE_MAX_CALLS, CLIENT_PRESENCE_WINDOW_MS, CONNECT_ERROR_BACKOFF_MS, CHANNEL_ERROR_BACKOFF_MS.

const LIMIT_ENV: Record<string, keyof RealtimeLimits> = {
  TENANT_MAX_CONCURRENT_USERS: 'maxConcurrentUsers',
  TENANT_MAX_EVENTS_PER_SECOND: 'maxEventsPerSecond',
  TENANT_MAX_JOINS_PER_SECOND: 'maxJoinsPerSecond',
  TENANT_MAX_CHANNELS_PER_CLIENT: 'maxChannelsPerClient',
  MAX_PAYLOAD_SIZE_KB: 'maxPayloadSizeKb',
  CLIENT_PRESENCE_MAX_CALLS: 'presenceMaxCalls',
  CLIENT_PRESENCE_WINDOW_MS: 'presenceWindowMs',
  RATE_WINDOW_MS: 'rateWindowMs',
}

function numberEnv(name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isFinite(value)) {
    console.error(`${name}=${raw} is not a number; unset it or give a number, e.g. ${name}=100`)
    process.exit(1)
  }
  return value
}

/** Signals that stop the server; the same signal again within this delay is the same request (npm and the terminal both send Ctrl-C). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
const REPEAT_WINDOW_MS = 300
/** A graceful stop that takes longer than this becomes an immediate one. */
const STOP_DEADLINE_MS = 15_000

async function clean(): Promise<void> {
  const { cleanPostgresCaches } = await import('./db/clean-postgres-caches')
  const report = await cleanPostgresCaches()
  for (const folder of report.removed) console.log(`removed ${folder}`)
  for (const folder of report.failed) console.error(`could not remove ${folder} (another user's? remove it as that user)`)
  console.log(`Removed ${report.removed.length} cached or leftover folder(s); the next start rebuilds what it needs.`)
  process.exit(report.failed.length > 0 ? 1 : 0)
}

async function main(): Promise<void> {
  if (process.argv[2] === 'clean') return clean()
  if (process.argv[2] !== undefined) {
    console.error(`Unknown command "${process.argv[2]}". Use \`npm run realtime\` to start, or \`npm run realtime -- clean\` to delete the caches.`)
    process.exit(1)
  }
  const controller = new AbortController()
  let server: RealtimeServer | null = null
  let firstSignal = null as { name: string; at: number } | null

  /** Stops PostgreSQL's process groups and deletes the folders synchronously, then exits. */
  const stopNow = (why: string): never => {
    exitGuard.stopAllNow()
    console.log(`Realtime stopped (${why})`)
    process.exit(0)
  }
  const stopGracefully = (why: string): void => {
    const deadline = setTimeout(() => stopNow(`${why}; the stop took longer than ${STOP_DEADLINE_MS / 1000} s, so it was finished at once`), STOP_DEADLINE_MS)
    deadline.unref()
    server?.stop().then(
      () => {
        console.log(`Realtime stopped (${why})`)
        process.exit(0)
      },
      (error: unknown) => {
        console.error('Realtime failed to stop cleanly', error)
        exitGuard.stopAllNow()
        process.exit(1)
      },
    )
  }
  const onStopRequest = (name: string): void => {
    const now = Date.now()
    if (firstSignal === null) {
      firstSignal = { name, at: now }
      // NOTE: during startup, the start is aborted; main() then reports the stop.
      if (server === null) controller.abort(new Error(`stopped by ${name} while starting`))
      else stopGracefully(name)
      return
    }
    if (name === firstSignal.name && now - firstSignal.at < REPEAT_WINDOW_MS) return
    stopNow(`${firstSignal.name}, then ${name}: stopped at once`)
  }
  for (const signal of STOP_SIGNALS) process.on(signal, () => onStopRequest(signal))
  // NOTE: under `npm run realtime`, npm is the parent: if it is gone (killed), nobody can stop this process any more.
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid
    setInterval(() => {
      if (process.ppid !== parent) onStopRequest('npm exited')
    }, 500).unref()
  }

  const limits: Partial<RealtimeLimits> = {}
  for (const [env, key] of Object.entries(LIMIT_ENV)) {
    const value = numberEnv(env)
    if (value !== undefined) limits[key] = value
  }
  const level = process.env.REALTIME_LOG_LEVEL
  const databasePort = numberEnv('DATABASE_PORT')
  // NOTE: loaded after the handlers are in place, so that a signal while it loads is a stop like any other.
  const { startRealtimeServer } = await import('./start-realtime-server')
  const starting = startRealtimeServer({
    port: numberEnv('REALTIME_PORT') ?? 54321,
    host: process.env.REALTIME_HOST || '127.0.0.1',
    ...(process.env.JWT_SECRET ? { jwtSecret: process.env.JWT_SECRET } : {}),
    ...(numberEnv('JWT_EXPIRY') !== undefined ? { jwtExpiry: numberEnv('JWT_EXPIRY') } : {}),
    ...(numberEnv('REFRESH_TOKEN_REUSE_INTERVAL') !== undefined ? { refreshTokenReuseInterval: numberEnv('REFRESH_TOKEN_REUSE_INTERVAL') } : {}),
    limits,
    ...(numberEnv('CONNECT_ERROR_BACKOFF_MS') !== undefined ? { connectErrorBackoffMs: numberEnv('CONNECT_ERROR_BACKOFF_MS') } : {}),
    ...(numberEnv('CHANNEL_ERROR_BACKOFF_MS') !== undefined ? { channelErrorBackoffMs: numberEnv('CHANNEL_ERROR_BACKOFF_MS') } : {}),
    privateOnly: process.env.REALTIME_PRIVATE_ONLY === 'true',
    ...(databasePort === undefined ? {} : { database: { port: databasePort } }),
    logLevel: level === 'silent' || level === 'error' || level === 'warn' || level === 'info' ? level : 'info',
    signal: controller.signal,
  })
  try {
    server = await starting
  } catch (error) {
    if (firstSignal === null) throw error
    return stopNow(`${firstSignal.name} while starting`)
  }
  if (firstSignal !== null) return stopGracefully(firstSignal.name)
  console.log(`Realtime ready at ${server.url} (ws ${server.url.replace(/^http/, 'ws')}/realtime/v1/websocket) anon key: ${server.anonKey}`)
  if (server.databaseUrl) console.log(`PostgreSQL at ${server.databaseUrl}`)
  console.log(`Message counters: GET ${server.url}/_local/v1/stats with Authorization: Bearer <service role key> (${server.serviceRoleKey})`)
}

main().catch((error: unknown) => {
  if (isRealtimeServerError(error)) console.error(`${error.message}\nFix: ${error.fix}`)
  else console.error(error)
  exitGuard.stopAllNow()
  process.exit(1)
})
