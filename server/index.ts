/** Public surface of the local Supabase-Realtime-compatible server. */
export { startRealtimeServer } from './start-realtime-server'
export { signJwt, verifyJwt, verifyToken, createDemoKeys, claimsForOpaqueKey, DEMO_KEY_EXP } from './jwt'
export { DEFAULT_JWT_SECRET, DEFAULT_LIMITS, resolveOptions } from './options'
export { RealtimeServerError, isRealtimeServerError } from './server-error'
export { createConsoleLogger } from './logger'
export { startDatabase } from './db/start-database'
export { LOCAL_TENANT_ID } from './message-stats'

export type { RealtimeServer } from './start-realtime-server'
export type { RealtimeMessageStats, BroadcastSource } from './message-stats'
export type { RealtimeServerOptions, RealtimeLimits, ResolvedOptions } from './options'
export type { RealtimeServerErrorCode } from './server-error'
export type { JwtResult, JwtFailure } from './jwt'
export type { LogLevel, RealtimeLogger } from './logger'
export type { StartDatabaseOptions, RunningDatabase } from './db/start-database'
export type { DatabaseConnectOptions, DatabaseOption } from './db/database-option'
export type {
  DatabaseHooks,
  JwtClaims,
  PostgresBinding,
  PostgresChangeData,
  DatabaseBroadcast,
  ChannelPermissions,
  ChannelAuthContext,
  PostgresSubscription,
} from './database-hooks'
