/**
 * The sentences of the plugin's errors, by code and case. A call site passes the facts
 * (`errorFor('SEND_TIMED_OUT', 'connectionDown', { channel, event, timeoutMs, status })`) and this
 * catalog words them; what a case leaves out comes from the code's entry in errors.ts. Low-code
 * builders read these sentences: they name the channel and say what to do.
 */

/**
 * What a case says: its message, or its message and fix. A fix replaces the code's default one
 * in errors.ts; `undefined` keeps the default.
 */
export type ErrorSentence = string | readonly [message: string | undefined, fix?: string]

/** The policy a private channel needs to be read, with the channel's own topic in the example. */
export const readPolicyFix = (topic: string): string =>
  `Sign the user in and add a Row Level Security policy on realtime.messages that allows select on the topic, e.g. create policy "read ${topic}" on realtime.messages for select to authenticated using ((select realtime.topic()) = '${topic}'). Or turn off "Private channel".`

/** The policy that lets a user write to a private channel. */
export const INSERT_POLICY = 'a Row Level Security policy on realtime.messages that allows insert on the topic'

/** What to do when the server did not answer in time. */
export const RETRY_FIX = 'Check the project URL and network, then run Subscribe again or raise "Timeout".'

const notSubscribed = (channel: string, consequence = '', presence = ''): ErrorSentence => [
  `Channel "${channel}" is not subscribed${consequence}.`,
  `First run "Subscribe to channel" with channel "${channel}"${presence}.`,
]

const notConnected = (f: { channel: string; status: string }, consequence = ''): string =>
  `Channel "${f.channel}" is not connected right now (status ${f.status})${consequence}.`

const refusedOverHttp = (f: { channel: string; status: number; reason: string }): ErrorSentence =>
  `The server refused the message for "${f.channel}" (HTTP ${f.status}): ${f.reason}`

const rowsNotLoaded = (table: string, reason: string): ErrorSentence => `The rows of "${table}" could not be loaded: ${reason}`

export const ERROR_SENTENCES = {
  NOT_CONFIGURED: {
    settings: (f: { problem: string | null; fix: string | null }): ErrorSentence => [
      f.problem ? `The plugin is not configured: ${f.problem}` : undefined,
      f.fix ?? undefined,
    ],
    notInstalled: (): ErrorSentence => [
      'No Realtime plugin is installed in this Vue app.',
      'Call app.use(createRealtimePlugin({ url, key })) before mounting; use this composable in a component setup.',
    ],
  },
  UNKNOWN_ACTION: {
    unknown: (f: { actionId: string; known: readonly string[] }): ErrorSentence => [
      `There is no Realtime action "${f.actionId}".`,
      `Use one of: ${f.known.join(', ')}.`,
    ],
  },
  CHANNEL_NOT_SUBSCRIBED: {
    notSubscribed: (f: { channel: string }) => notSubscribed(f.channel),
    presence: (f: { channel: string; reading: boolean }) =>
      notSubscribed(f.channel, `, so presence cannot be ${f.reading ? 'read' : 'updated'}`, ' and Presence on'),
    live: (f: { channel: string; action: string }) =>
      notSubscribed(f.channel, `, so ${f.action} cannot start`, ' and Presence on (so cursors vanish when people leave)'),
  },
  SUBSCRIBE_TIMED_OUT: {
    notConnected: (f: { channel: string; status: string }): ErrorSentence => notConnected(f),
    joinRetrying: (f: { channel: string }): ErrorSentence => `Channel "${f.channel}": the server did not answer the join in time; retrying.`,
    databaseUnconfirmed: (f: { channel: string; timeoutMs: number }): ErrorSentence =>
      `Channel "${f.channel}" joined, but the database changes were not confirmed within ${f.timeoutMs} ms.`,
    notJoined: (f: { channel: string; timeoutMs: number; lastProblem: string | null }): ErrorSentence =>
      `Channel "${f.channel}" was not subscribed within ${f.timeoutMs} ms${f.lastProblem ? ` (last problem: ${f.lastProblem})` : ''}.`,
  },
  CHANNEL_CLOSED: {
    left: (f: { channel: string; why: 'replaced' | 'unsubscribed' }): ErrorSentence => [
      `Channel "${f.channel}" was ${f.why === 'replaced' ? 'subscribed again with other settings' : 'unsubscribed'}.`,
      'Nothing to do if this was intended.',
    ],
  },
  CONNECTION_LOST: {
    closed: (): ErrorSentence => 'The connection to the Realtime server closed; reconnecting.',
    unreachable: (): ErrorSentence => 'The Realtime server could not be reached; retrying.',
    heartbeat: (): ErrorSentence => 'The Realtime server did not answer a heartbeat in time; reconnecting.',
    offline: (): ErrorSentence => 'The device went offline; reconnecting when the network is back.',
  },
  SEND_TIMED_OUT: {
    notAcknowledged: (f: { channel: string; event: string; timeoutMs: number; private: boolean }): ErrorSentence => [
      `Message "${f.event}" on "${f.channel}" was not acknowledged within ${f.timeoutMs} ms.`,
      f.private ? undefined : 'Check the connection, then send again.',
    ],
    connectionDown: (f: { channel: string; event: string; timeoutMs: number; status: string }): ErrorSentence => [
      `Message "${f.event}" on "${f.channel}" was not sent within ${f.timeoutMs} ms: the connection is down (channel status ${f.status}).`,
      'The connection is down: the plugin reconnects and resends the messages it holds. Check the network, then send again or raise "Timeout".',
    ],
    httpTimedOut: (f: { channel: string; timeoutMs: number }): ErrorSentence =>
      `The server did not accept the message for "${f.channel}" within ${f.timeoutMs} ms.`,
  },
  SEND_FAILED: {
    httpUnreachable: (f: { channel: string; reason: string }): ErrorSentence => [
      `The message for "${f.channel}" could not reach the Realtime server: ${f.reason}`,
      'Check the project URL (plugin settings) and network, then send again.',
    ],
    httpRefused: refusedOverHttp,
  },
  SEND_NOT_ALLOWED: {
    httpRefused: refusedOverHttp,
  },
  RATE_LIMITED: {
    httpRefused: (f: { channel: string; reason: string }): ErrorSentence => `The server refused the message for "${f.channel}": rate limit (${f.reason}).`,
    liveTraffic: (f: { channel: string; intervalMs: number; maxMessagesPerSecond: number }): ErrorSentence => [
      `The server closed channel "${f.channel}": too many messages per second. Live cursors and state now send every ${f.intervalMs} ms.`,
      `Set "Messages per second" (plugin settings) to your Supabase plan's limit (Free 100, Pro 500; now ${f.maxMessagesPerSecond}) and keep other project traffic low. The plugin rejoins the channel by itself.`,
    ],
  },
  PAYLOAD_TOO_LARGE: {
    refused: (f: { channel: string; event: string; bytes: number }): ErrorSentence =>
      `Message "${f.event}" on "${f.channel}" (${(f.bytes / 1000).toFixed(1)} KB) is larger than the project allows.`,
    httpRefused: (f: { channel: string; reason: string }): ErrorSentence => `The message for "${f.channel}" is too large: ${f.reason}`,
  },
  PRESENCE_FAILED: {
    notConnected: (f: { channel: string; status: string; untracking: boolean }): ErrorSentence => [
      notConnected(f, f.untracking ? '; you will be hidden when it reconnects' : '; your presence is shared when it reconnects'),
      'Nothing to do if the connection comes back; otherwise check the network and channel status.',
    ],
    refused: (f: { channel: string; timedOut: boolean }): ErrorSentence =>
      `The server ${f.timedOut ? 'did not confirm' : 'refused'} the presence update on "${f.channel}"${f.timedOut ? ' in time' : ''}.`,
  },
  LOAD_FAILED: {
    timedOut: (f: { schema: string; table: string; timeoutMs: number }): ErrorSentence => [
      `The rows of "${f.schema}.${f.table}" did not arrive within ${f.timeoutMs} ms.`,
      `${RETRY_FIX} The collection keeps following changes.`,
    ],
    refused: (f: { schema: string; table: string; reason: string }) => rowsNotLoaded(`${f.schema}.${f.table}`, f.reason),
    failed: (f: { table: string; reason: string }) => rowsNotLoaded(f.table, f.reason),
  },
} as const

/**
 * How an error carrying the Realtime server's own reason begins, by where the reason was seen;
 * error-from-server.ts adds the channel, picks the code and adds the server's words after a colon.
 */
export const SERVER_REASON_OPENINGS = {
  join: 'The server rejected',
  close: 'The server closed',
  transport: 'Connection lost on',
  database: 'Database changes could not start on',
} as const

/** The catalog's type. */
export type ErrorSentences = typeof ERROR_SENTENCES
