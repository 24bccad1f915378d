import { readPolicyFix, SERVER_REASON_OPENINGS } from './error-messages'
import { RealtimePluginError, type RealtimeErrorCode } from './errors'

/** Where a server reason was seen: a join reply, a `system` message before a close, or a socket/transport failure. */
export type ServerReasonSource = 'join' | 'close' | 'transport' | 'database'

/** A rule: the reasons it recognises, their code, the field at fault and advice naming the channel. */
type ReasonRule = [test: RegExp, code: RealtimeErrorCode, field?: string, fix?: (channel: string) => string]

const TRANSPORT = /socket closed|transport failure|heartbeat timeout|connection lost/i

// NOTE: reason strings follow the Realtime server (docs/realtime-protocol.md §7.3, §7.4).
const RULES: ReasonRule[] = [
  [/do not have permissions? to read|no longer have permission to read|^Unauthorized/i, 'PRIVATE_CHANNEL_DENIED', 'private', readPolicyFix],
  [/^PrivateOnly|only allows private channels/i, 'PRIVATE_ONLY', 'private'],
  [/Too many channels|ChannelRateLimitReached/i, 'TOO_MANY_CHANNELS'],
  [/Too many (joins|connected users|messages per second|presence messages)|rate limit/i, 'RATE_LIMITED'],
  [/Track message size exceeded|payload_size_exceeded|Payload size exceeds/i, 'PAYLOAD_TOO_LARGE'],
  [/Token has expired|(Invalid|Malformed)JWT|JwtSign(ature|er)|not a valid JWT|`role` and `exp`|Token expiration/i, 'AUTH_FAILED'],
  [
    /mismatch between server and client bindings|Unable to subscribe to changes|Error parsing `filter`|filter must not contain|No subscription params|PostgresChangesSubscribeTimeout|RealtimeDisabledForConfiguration|invalid column for filter|`select`/i,
    'DATABASE_SUBSCRIBE_FAILED',
    'postgresChanges',
  ],
  [
    /UnableToConnectToProject|unable to connect to the project database|DatabaseLackOfConnections|IncreaseConnectionPool|DatabaseConnectionRateLimitReached|InitializingProjectConnection/i,
    'DATABASE_UNAVAILABLE',
  ],
  [TRANSPORT, 'CONNECTION_LOST'],
]

/** The code of a reason no rule recognises, by where it was seen. */
const UNRECOGNISED: Record<ServerReasonSource, RealtimeErrorCode> = {
  join: 'SUBSCRIBE_FAILED',
  close: 'CHANNEL_CLOSED',
  transport: 'SUBSCRIBE_FAILED',
  database: 'DATABASE_SUBSCRIBE_FAILED',
}

/**
 * Maps a reason string from the Realtime server (or the client's normalized channel error) to a
 * typed error whose message keeps the server's words and whose `fix` is advice for the builder.
 */
export function errorFromServerReason(reason: string, context: { channel: string; source: ServerReasonSource }): RealtimePluginError {
  const { channel, source } = context
  const [, code, field, fix] = RULES.find(([test]) => test.test(reason)) ?? [null, UNRECOGNISED[source]]
  return new RealtimePluginError(code, {
    field,
    message: `${SERVER_REASON_OPENINGS[source]} channel "${channel}": ${reason}`,
    fix: fix?.(channel),
    details: { reason, channel, source },
  })
}

/** Whether a reason means the failure comes from the network, so waiting and retrying can help. */
export function isTransportReason(reason: string): boolean {
  return TRANSPORT.test(reason)
}

/** Whether a join error is expected to pass by itself (supabase-js keeps retrying the join). */
export function isTransientReason(reason: string): boolean {
  return isTransportReason(reason) || /InitializingProjectConnection|RealtimeRestarting|Too many joins per second/i.test(reason)
}
