/**
 * The sentences of the plugin's errors, by code and case. A call site passes the facts
 * (`errorFor('SEND_TIMED_OUT', 'connectionDown', { channel, event, timeoutMs, status })`) and this
 * catalog words them; what a case leaves out comes from the code's entry in errors.ts. Low-code
 * builders read these sentences: they name the channel and say what to do.
 */

/** What a case says: the message and, when it differs from the code's default, the fix. */
export interface ErrorSentence {
  message?: string
  fix?: string
}

const NOT_CONNECTED_FIX = 'Nothing to do if the connection comes back by itself; otherwise check the network and the channel status.'

export const ERROR_SENTENCES = {
  NOT_CONFIGURED: {
    settings: (f: { problem: string | null; fix: string | null }): ErrorSentence => ({
      ...(f.problem ? { message: `The plugin is not configured: ${f.problem}` } : {}),
      ...(f.fix ? { fix: f.fix } : {}),
    }),
    notInstalled: (): ErrorSentence => ({
      message: 'No Realtime plugin is installed in this Vue app.',
      fix: 'Call app.use(createRealtimePlugin({ url, key })) before mounting, and use this composable inside a component setup.',
    }),
  },
  UNKNOWN_ACTION: {
    unknown: (f: { actionId: string; known: readonly string[] }): ErrorSentence => ({
      message: `There is no Realtime action "${f.actionId}".`,
      fix: `Use one of: ${f.known.join(', ')}.`,
    }),
  },
  CHANNEL_NOT_SUBSCRIBED: {
    notSubscribed: (f: { channel: string }): ErrorSentence => ({
      message: `Channel "${f.channel}" is not subscribed.`,
      fix: `Run "Subscribe to channel" with the channel name "${f.channel}" first.`,
    }),
    presence: (f: { channel: string; reading: boolean }): ErrorSentence => ({
      message: `Channel "${f.channel}" is not subscribed, so presence cannot be ${f.reading ? 'read' : 'updated'}.`,
      fix: `Run "Subscribe to channel" with the channel name "${f.channel}" (Presence on) before this action.`,
    }),
    live: (f: { channel: string; action: string }): ErrorSentence => ({
      message: `Channel "${f.channel}" is not subscribed, so ${f.action} cannot start.`,
      fix: `Run "Subscribe to channel" with the channel name "${f.channel}" (Presence on, so cursors disappear when people leave) before this action.`,
    }),
  },
  SUBSCRIBE_TIMED_OUT: {
    notConnected: (f: { channel: string; status: string }): ErrorSentence => ({
      message: `Channel "${f.channel}" is not connected right now (status ${f.status}).`,
    }),
    joinRetrying: (f: { channel: string }): ErrorSentence => ({
      message: `The server did not answer the join of channel "${f.channel}" in time; retrying.`,
    }),
    databaseUnconfirmed: (f: { channel: string; timeoutMs: number }): ErrorSentence => ({
      message: `Channel "${f.channel}" joined, but the database did not confirm the change subscription within ${f.timeoutMs} ms.`,
    }),
    notJoined: (f: { channel: string; timeoutMs: number; lastProblem: string | null }): ErrorSentence => ({
      message: `Channel "${f.channel}" was not subscribed within ${f.timeoutMs} ms${f.lastProblem ? ` (last problem: ${f.lastProblem})` : ''}.`,
    }),
  },
  CHANNEL_CLOSED: {
    left: (f: { channel: string; why: 'replaced' | 'unsubscribed' }): ErrorSentence => ({
      message: f.why === 'replaced' ? `Channel "${f.channel}" was subscribed again with other settings.` : `Channel "${f.channel}" was unsubscribed.`,
      fix: 'Nothing to do if this was intended.',
    }),
  },
  CONNECTION_LOST: {
    closed: (): ErrorSentence => ({ message: 'The connection to the Realtime server closed; reconnecting.' }),
    unreachable: (): ErrorSentence => ({ message: 'The Realtime server could not be reached; retrying.' }),
    heartbeat: (): ErrorSentence => ({ message: 'The Realtime server did not answer a heartbeat in time; reconnecting.' }),
    offline: (): ErrorSentence => ({ message: 'The device went offline; reconnecting when the network is back.' }),
  },
  SEND_TIMED_OUT: {
    notAcknowledged: (f: { channel: string; event: string; timeoutMs: number; private: boolean }): ErrorSentence => ({
      message: `The server did not acknowledge the message "${f.event}" on "${f.channel}" within ${f.timeoutMs} ms.`,
      ...(f.private ? {} : { fix: 'Check the connection, then send again.' }),
    }),
    connectionDown: (f: { channel: string; event: string; timeoutMs: number; status: string }): ErrorSentence => ({
      message: `The message "${f.event}" on "${f.channel}" could not be sent within ${f.timeoutMs} ms: the connection to the Realtime server is down (channel status ${f.status}).`,
      fix: 'The connection is down: the plugin reconnects by itself and sends messages it still holds. Check the network, then send again or raise "Timeout".',
    }),
    httpTimedOut: (f: { channel: string; timeoutMs: number }): ErrorSentence => ({
      message: `The Realtime server did not accept the message for "${f.channel}" within ${f.timeoutMs} ms.`,
    }),
  },
  SEND_FAILED: {
    httpUnreachable: (f: { channel: string; reason: string }): ErrorSentence => ({
      message: `The message for "${f.channel}" could not reach the Realtime server: ${f.reason}`,
      fix: 'Check the project URL in the plugin settings and the network, then send again.',
    }),
    httpRefused: (f: { channel: string; status: number; reason: string }): ErrorSentence => ({
      message: `The server refused the message for "${f.channel}" (HTTP ${f.status}): ${f.reason}`,
    }),
  },
  SEND_NOT_ALLOWED: {
    httpRefused: (f: { channel: string; status: number; reason: string }): ErrorSentence => ({
      message: `The server refused the message for "${f.channel}" (HTTP ${f.status}): ${f.reason}`,
    }),
  },
  RATE_LIMITED: {
    httpRefused: (f: { channel: string; reason: string }): ErrorSentence => ({
      message: `The server refused the message for "${f.channel}": rate limit (${f.reason}).`,
    }),
    liveTraffic: (f: { channel: string; intervalMs: number; maxMessagesPerSecond: number }): ErrorSentence => ({
      message: `The server closed channel "${f.channel}": too many messages per second. Live cursors and state now send every ${f.intervalMs} ms.`,
      fix: `Set "Messages per second" in the plugin settings to your Supabase plan's limit (Free 100, Pro 500; now ${f.maxMessagesPerSecond}) and keep other traffic on the project low. Nothing else to do: the plugin rejoins the channel by itself and chat and presence come back.`,
    }),
  },
  PAYLOAD_TOO_LARGE: {
    refused: (f: { channel: string; event: string; bytes: number }): ErrorSentence => ({
      message: `The server refused the message "${f.event}" on "${f.channel}" (${(f.bytes / 1000).toFixed(1)} KB); the payload is larger than the project allows.`,
    }),
    httpRefused: (f: { channel: string; reason: string }): ErrorSentence => ({
      message: `The message for "${f.channel}" is too large: ${f.reason}`,
    }),
  },
  PRESENCE_FAILED: {
    notConnected: (f: { channel: string; status: string; untracking: boolean }): ErrorSentence => ({
      message: f.untracking
        ? `Channel "${f.channel}" is not connected right now (status ${f.status}); you will not be shown when it reconnects.`
        : `Channel "${f.channel}" is not connected right now (status ${f.status}); your presence will be shared as soon as it reconnects.`,
      fix: NOT_CONNECTED_FIX,
    }),
    refused: (f: { channel: string; timedOut: boolean }): ErrorSentence => ({
      message: f.timedOut ? `The server did not confirm the presence update on "${f.channel}" in time.` : `The server refused the presence update on "${f.channel}".`,
    }),
  },
  LOAD_FAILED: {
    timedOut: (f: { schema: string; table: string; timeoutMs: number }): ErrorSentence => ({
      message: `The rows of "${f.schema}.${f.table}" did not arrive within ${f.timeoutMs} ms.`,
      fix: 'Check the network and the project URL; the collection keeps following changes. Run Subscribe again to retry, or raise "Timeout".',
    }),
    refused: (f: { schema: string; table: string; reason: string }): ErrorSentence => ({
      message: `The rows of "${f.schema}.${f.table}" could not be loaded: ${f.reason}`,
    }),
    failed: (f: { table: string; reason: string }): ErrorSentence => ({
      message: `The rows of "${f.table}" could not be loaded: ${f.reason}`,
    }),
  },
} as const

/**
 * How an error carrying the Realtime server's own reason begins, by where the reason was seen;
 * error-from-server.ts picks the code and adds the server's words after a colon.
 */
export const SERVER_REASON_OPENINGS = {
  join: (channel: string) => `The server rejected channel "${channel}"`,
  close: (channel: string) => `The server closed channel "${channel}"`,
  transport: (channel: string) => `Channel "${channel}" lost its connection`,
  database: (channel: string) => `Database changes on channel "${channel}" could not start`,
} as const

/** The catalog's type. */
export type ErrorSentences = typeof ERROR_SENTENCES
