import { SERVER_REASON_OPENINGS } from './error-messages'
import { RealtimePluginError, type RealtimeErrorCode } from './errors'

/** Where a server reason was seen: a join reply, a `system` message before a close, or a socket/transport failure. */
export type ServerReasonSource = 'join' | 'close' | 'transport' | 'database'

interface ReasonRule {
  test: RegExp
  code: RealtimeErrorCode
  field?: string
  fix?: (channel: string) => string
}

// NOTE: reason strings follow the Realtime server (docs/realtime-protocol.md §7.3, §7.4).
const RULES: ReasonRule[] = [
  {
    test: /do not have permissions? to read|no longer have permission to read|^Unauthorized/i,
    code: 'PRIVATE_CHANNEL_DENIED',
    field: 'private',
    fix: (channel) =>
      `Sign the user in, and add a Row Level Security policy on realtime.messages that allows select for topic "${channel}", e.g. create policy "read ${channel}" on realtime.messages for select to authenticated using ((select realtime.topic()) = '${channel}'). Or turn off "Private channel".`,
  },
  { test: /^PrivateOnly|only allows private channels/i, code: 'PRIVATE_ONLY', field: 'private' },
  { test: /Too many channels|ChannelRateLimitReached/i, code: 'TOO_MANY_CHANNELS' },
  {
    test: /Too many joins|Too many connected users|Too many messages per second|Too many presence messages|presence rate limit|rate limit/i,
    code: 'RATE_LIMITED',
  },
  { test: /Track message size exceeded|payload_size_exceeded|Payload size exceeds/i, code: 'PAYLOAD_TOO_LARGE' },
  {
    test: /Token has expired|InvalidJWT|MalformedJWT|JwtSignature|JwtSigner|not a valid JWT|`role` and `exp`|Token expiration/i,
    code: 'AUTH_FAILED',
  },
  {
    test: /mismatch between server and client bindings|Unable to subscribe to changes|Error parsing `filter`|filter must not contain|No subscription params|PostgresChangesSubscribeTimeout|RealtimeDisabledForConfiguration|invalid column for filter|`select`/i,
    code: 'DATABASE_SUBSCRIBE_FAILED',
    field: 'postgresChanges',
  },
  {
    test: /UnableToConnectToProject|unable to connect to the project database|DatabaseLackOfConnections|IncreaseConnectionPool|DatabaseConnectionRateLimitReached|InitializingProjectConnection/i,
    code: 'DATABASE_UNAVAILABLE',
  },
  { test: /socket closed|transport failure|heartbeat timeout|connection lost/i, code: 'CONNECTION_LOST' },
]

/**
 * Maps a reason string from the Realtime server (or the client's normalized channel error) to a
 * typed error whose message keeps the server's words and whose `fix` is advice for the builder.
 */
export function errorFromServerReason(
  reason: string,
  context: { channel: string; source: ServerReasonSource },
): RealtimePluginError {
  const rule = RULES.find((r) => r.test.test(reason))
  const code: RealtimeErrorCode = rule?.code ?? (context.source === 'close' ? 'CHANNEL_CLOSED' : context.source === 'database' ? 'DATABASE_SUBSCRIBE_FAILED' : 'SUBSCRIBE_FAILED')
  const prefix = SERVER_REASON_OPENINGS[context.source](context.channel)
  return new RealtimePluginError(code, {
    field: rule?.field ?? null,
    message: `${prefix}: ${reason}`,
    ...(rule?.fix ? { fix: rule.fix(context.channel) } : {}),
    details: { reason, channel: context.channel, source: context.source },
  })
}

/** Whether a reason means the failure comes from the network, so waiting and retrying can help. */
export function isTransportReason(reason: string): boolean {
  return /socket closed|transport failure|heartbeat timeout|connection lost/i.test(reason)
}

/** Whether a join error is expected to pass by itself (supabase-js keeps retrying the join). */
export function isTransientReason(reason: string): boolean {
  return isTransportReason(reason) || /InitializingProjectConnection|RealtimeRestarting|Too many joins per second/i.test(reason)
}
