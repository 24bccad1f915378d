import { startRealtimeServer } from './index'
import type { RealtimeLimits } from './options'
import { isRealtimeServerError } from './server-error'

// `npm run realtime`: the local Realtime server in the foreground until SIGINT/SIGTERM.
// Env: REALTIME_PORT (54321), REALTIME_HOST (127.0.0.1), DATABASE_URL (an existing PostgreSQL), else
// DATABASE_PORT (54322, 0 = a free port) for the embedded one, JWT_SECRET, REALTIME_LOG_LEVEL (info),
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

async function main(): Promise<void> {
  const limits: Partial<RealtimeLimits> = {}
  for (const [env, key] of Object.entries(LIMIT_ENV)) {
    const value = numberEnv(env)
    if (value !== undefined) limits[key] = value
  }
  const level = process.env.REALTIME_LOG_LEVEL
  const databasePort = numberEnv('DATABASE_PORT')
  const server = await startRealtimeServer({
    port: numberEnv('REALTIME_PORT') ?? 54321,
    host: process.env.REALTIME_HOST || '127.0.0.1',
    ...(process.env.JWT_SECRET ? { jwtSecret: process.env.JWT_SECRET } : {}),
    limits,
    ...(numberEnv('CONNECT_ERROR_BACKOFF_MS') !== undefined ? { connectErrorBackoffMs: numberEnv('CONNECT_ERROR_BACKOFF_MS') } : {}),
    ...(numberEnv('CHANNEL_ERROR_BACKOFF_MS') !== undefined ? { channelErrorBackoffMs: numberEnv('CHANNEL_ERROR_BACKOFF_MS') } : {}),
    privateOnly: process.env.REALTIME_PRIVATE_ONLY === 'true',
    ...(databasePort === undefined ? {} : { database: { port: databasePort } }),
    logLevel: level === 'silent' || level === 'error' || level === 'warn' || level === 'info' ? level : 'info',
  })
  console.log(`Realtime ready at ${server.url} (ws ${server.url.replace(/^http/, 'ws')}/realtime/v1/websocket) anon key: ${server.anonKey}`)
  if (server.databaseUrl) console.log(`PostgreSQL at ${server.databaseUrl}`)
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    server.stop().then(
      () => {
        console.log(`Realtime stopped (${signal})`)
        process.exit(0)
      },
      (error: unknown) => {
        console.error('Realtime failed to stop cleanly', error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  if (isRealtimeServerError(error)) console.error(`${error.message}\nFix: ${error.fix}`)
  else console.error(error)
  process.exit(1)
})
