import { ERROR_SENTENCES, INSERT_POLICY, readPolicyFix, RETRY_FIX, type ErrorSentence, type ErrorSentences } from './error-messages'
import type { ValidationIssue } from './validation'

/**
 * Every error the plugin raises, as `[why, fix]`: a default explanation and the advice a no-code
 * builder can act on. Codes are permanent: never rename or reuse one.
 */
const CATALOG = {
  NOT_CONFIGURED: [
    'The Supabase project URL or public key is missing.',
    'Enter the project URL (e.g. https://xyz.supabase.co) and public (anon) key in the plugin settings.',
  ],
  INVALID_INPUT: [
    'Some action fields are missing or invalid.',
    'Correct the listed fields and run the action again.',
  ],
  UNKNOWN_ACTION: [
    'The Realtime plugin has no such action.',
    'Pick a Realtime action: Subscribe to channel, Broadcast a message, Presence state, Unsubscribe, Share cursor, Stop cursor or Set live state.',
  ],
  CHANNEL_NOT_SUBSCRIBED: [
    'No subscribed channel has this name.',
    'First run "Subscribe to channel" with the same channel name.',
  ],
  SUBSCRIBE_TIMED_OUT: [
    'The server did not confirm the subscription in time.',
    RETRY_FIX,
  ],
  SUBSCRIBE_FAILED: [
    'The server rejected the subscription.',
    'Check the channel settings against the server reason in the details, then retry.',
  ],
  PRIVATE_CHANNEL_DENIED: [
    'This user may not read this private channel.',
    readPolicyFix('chat'),
  ],
  PRIVATE_ONLY: [
    'This project only allows private channels.',
    'Turn on "Private channel" (with a read policy on realtime.messages), or allow public access in the project\'s Realtime settings.',
  ],
  AUTH_FAILED: [
    'The Realtime server refused the access token.',
    'Sign the user in again; if it keeps failing, check that the public key belongs to this project.',
  ],
  TOO_MANY_CHANNELS: [
    'This connection has joined too many channels.',
    'Unsubscribe from channels you no longer need: a connection can join at most 100.',
  ],
  RATE_LIMITED: [
    'A Realtime rate limit of the project was exceeded.',
    'Send fewer messages, joins or presence updates per second (presence: at most 5 per 30 s per channel); the plugin rejoins once the rate drops.',
  ],
  DATABASE_SUBSCRIBE_FAILED: [
    'The database change subscription could not be set up.',
    'Add the table to the supabase_realtime publication and check the schema, table and filter (e.g. room_id=eq.1).',
  ],
  DATABASE_UNAVAILABLE: [
    'The Realtime server cannot reach the project database.',
    'Private channels and database changes need it: check that it runs (locally, `npm run realtime` starts one), then subscribe again.',
  ],
  CHANNEL_CLOSED: [
    'The server closed the channel.',
    'The plugin reopens it; if it keeps closing, see the reason in the details.',
  ],
  CONNECTION_LOST: [
    'The connection to the Realtime server was lost.',
    'The plugin reconnects by itself; if it lasts, check the network and project URL.',
  ],
  SEND_TIMED_OUT: [
    'The server did not acknowledge the message in time.',
    `Check the connection. A private channel silently drops the message without ${INSERT_POLICY}.`,
  ],
  SEND_FAILED: [
    'The server refused the message.',
    'Check the channel name and payload, then send again.',
  ],
  SEND_NOT_ALLOWED: [
    'This user may not write to this channel.',
    `Sign the user in and add ${INSERT_POLICY}.`,
  ],
  PAYLOAD_TOO_LARGE: [
    'The message is larger than the server accepts.',
    'Keep the payload under 256 KB (Free plan) or 3 MB (paid plans): send ids or links, not files or long lists.',
  ],
  PRESENCE_FAILED: [
    'The server did not accept the presence update.',
    'Subscribe to the channel first; on a private channel, add a policy on realtime.messages that allows insert with extension "presence".',
  ],
  LOAD_FAILED: [
    'A table\'s rows could not be loaded into the collection.',
    'Check that the table exists and a Row Level Security policy lets this user select its rows, then run Subscribe again. The collection keeps following changes.',
  ],
  POINTER_UNAVAILABLE: [
    'There is no browser window to read the pointer from.',
    'Run "Share cursor" in a browser, or create the plugin with the `window` option (an object dispatching pointermove events).',
  ],
  DISPOSED: [
    'The Realtime plugin was shut down.',
    'Reload the page (or create the plugin again).',
  ],
} as const satisfies Record<string, readonly [why: string, fix: string]>

/** A permanent error code of the plugin. */
export type RealtimeErrorCode = keyof typeof CATALOG

// NOTE: marked pure so that bundles which never list the codes (the WeWeb runtime) leave it out.
/** Every error code, for editors and docs. */
export const ERROR_CODES = /* @__PURE__ */ Object.keys(CATALOG) as RealtimeErrorCode[]

/** Options of a {@link RealtimePluginError}. */
export interface RealtimePluginErrorOptions {
  /** The input field at fault, as a dotted path (e.g. `postgresChanges[0].table`), or `null`. */
  field?: string | null | undefined
  /** Replaces the catalogue explanation. */
  message?: string | undefined
  /** Replaces the catalogue advice. */
  fix?: string | undefined
  details?: Record<string, unknown>
  cause?: unknown
}

/** Plain JSON shape of an error, as workflows and variables show it. */
export interface RealtimeErrorJSON {
  name: 'RealtimePluginError'
  code: RealtimeErrorCode
  field: string | null
  message: string
  fix: string
  details: Record<string, unknown>
}

/** The one error class of the plugin: a permanent `code`, the offending `field` and a `fix` sentence. */
export class RealtimePluginError extends Error {
  override readonly name = 'RealtimePluginError'
  readonly code: RealtimeErrorCode
  readonly field: string | null
  readonly fix: string
  readonly details: Record<string, unknown>

  constructor(code: RealtimeErrorCode, options: RealtimePluginErrorOptions = {}) {
    super(options.message ?? CATALOG[code][0], options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.field = options.field ?? null
    this.fix = options.fix ?? CATALOG[code][1]
    this.details = options.details ?? {}
  }

  /** The issues of an `INVALID_INPUT` error (empty for other codes). */
  get issues(): ValidationIssue[] {
    const issues = this.details['issues']
    return Array.isArray(issues) ? (issues as ValidationIssue[]) : []
  }

  toJSON(): RealtimeErrorJSON {
    return { name: this.name, code: this.code, field: this.field, message: this.message, fix: this.fix, details: this.details }
  }
}

/** Type guard for {@link RealtimePluginError}. */
export const isRealtimePluginError = (error: unknown): error is RealtimePluginError =>
  error instanceof RealtimePluginError

/** The catalogue explanation and advice of a code. */
export function describeErrorCode(code: RealtimeErrorCode): { why: string; fix: string } {
  const [why, fix] = CATALOG[code]
  return { why, fix }
}

/** Builds the `INVALID_INPUT` error for a list of issues (the first issue names the field). */
export function invalidInput(issues: ValidationIssue[]): RealtimePluginError {
  const first = issues[0]
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''
  return new RealtimePluginError('INVALID_INPUT', {
    field: first?.field ?? null,
    message: first ? `${first.message}${more}` : CATALOG.INVALID_INPUT[0],
    fix: first?.fix ?? CATALOG.INVALID_INPUT[1],
    details: { issues },
  })
}

/** Turns anything thrown into a {@link RealtimePluginError}, keeping the original as `cause`. */
export function toPluginError(error: unknown, fallback: RealtimeErrorCode = 'SUBSCRIBE_FAILED'): RealtimePluginError {
  if (isRealtimePluginError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new RealtimePluginError(fallback, { message: `${CATALOG[fallback][0]} ${message}`.trim(), cause: error, details: { reason: message } })
}

/** The codes whose sentences the catalog in error-messages.ts words by case. */
export type WordedCode = keyof ErrorSentences & RealtimeErrorCode
/** The cases of a code in the catalog. */
export type ErrorCase<C extends WordedCode> = keyof ErrorSentences[C] & string
/** The facts a case is worded from. */
export type ErrorFacts<C extends WordedCode, K extends ErrorCase<C>> = ErrorSentences[C][K] extends (facts: infer F) => ErrorSentence ? F : never

/** Options of {@link errorFor}: everything but the sentences. */
export interface ErrorForOptions {
  field?: string | null
  /** @default the facts */
  details?: Record<string, unknown>
  cause?: unknown
}

/**
 * The error of `code` in case `kase`, worded by the catalog (error-messages.ts) from `facts`: a
 * call site passes facts, never sentences. The facts are the error's `details` unless given.
 */
export function errorFor<C extends WordedCode, K extends ErrorCase<C>>(code: C, kase: K, facts: ErrorFacts<C, K>, options: ErrorForOptions = {}): RealtimePluginError {
  const sentence = (ERROR_SENTENCES[code][kase] as unknown as (facts: unknown) => ErrorSentence)(facts)
  const [message, fix] = typeof sentence === 'string' ? [sentence] : sentence
  return new RealtimePluginError(code, { ...options, message, fix, details: options.details ?? ((facts ?? {}) as Record<string, unknown>) })
}
