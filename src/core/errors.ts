import { ERROR_SENTENCES, INSERT_POLICY, readPolicyFix, RETRY_FIX, type ErrorSentence, type ErrorSentences } from './error-messages'
import type { ValidationIssue } from './validation'

/**
 * Every error the plugin raises, with a default explanation and the advice a no-code builder
 * can act on. Codes are permanent: never rename or reuse one.
 */
const CATALOG = {
  NOT_CONFIGURED: {
    why: 'The Supabase project URL or public key is missing.',
    fix: 'Enter the project URL (e.g. https://xyz.supabase.co) and public (anon) key in the plugin settings.',
  },
  INVALID_INPUT: {
    why: 'Some action fields are missing or invalid.',
    fix: 'Correct the listed fields and run the action again.',
  },
  UNKNOWN_ACTION: {
    why: 'The Realtime plugin has no such action.',
    fix: 'Pick a Realtime action: Subscribe to channel, Broadcast a message, Presence state, Unsubscribe, Share cursor, Stop cursor or Set live state.',
  },
  CHANNEL_NOT_SUBSCRIBED: {
    why: 'No subscribed channel has this name.',
    fix: 'First run "Subscribe to channel" with the same channel name.',
  },
  SUBSCRIBE_TIMED_OUT: {
    why: 'The server did not confirm the subscription in time.',
    fix: RETRY_FIX,
  },
  SUBSCRIBE_FAILED: {
    why: 'The server rejected the subscription.',
    fix: 'Check the channel settings against the server reason in the details, then retry.',
  },
  PRIVATE_CHANNEL_DENIED: {
    why: 'This user may not read this private channel.',
    fix: readPolicyFix('chat'),
  },
  PRIVATE_ONLY: {
    why: 'This project only allows private channels.',
    fix: 'Turn on "Private channel" (with a read policy on realtime.messages), or allow public access in the project\'s Realtime settings.',
  },
  AUTH_FAILED: {
    why: 'The Realtime server refused the access token.',
    fix: 'Sign the user in again; if it keeps failing, check that the public key belongs to this project.',
  },
  TOO_MANY_CHANNELS: {
    why: 'This connection has joined too many channels.',
    fix: 'Unsubscribe from channels you no longer need: a connection can join at most 100.',
  },
  RATE_LIMITED: {
    why: 'A Realtime rate limit of the project was exceeded.',
    fix: 'Send fewer messages, joins or presence updates per second (presence: at most 5 per 30 s per channel). The plugin rejoins once the rate drops.',
  },
  DATABASE_SUBSCRIBE_FAILED: {
    why: 'The database change subscription could not be set up.',
    fix: 'Add the table to the supabase_realtime publication and check the schema, table and filter (e.g. room_id=eq.1).',
  },
  DATABASE_UNAVAILABLE: {
    why: 'The Realtime server cannot reach the project database.',
    fix: 'Private channels and database changes need it: check that it is running (locally, `npm run realtime` starts one), then subscribe again.',
  },
  CHANNEL_CLOSED: {
    why: 'The server closed the channel.',
    fix: 'The plugin reopens it; if it keeps closing, see the reason in the details.',
  },
  CONNECTION_LOST: {
    why: 'The connection to the Realtime server was lost.',
    fix: 'The plugin reconnects by itself; if it lasts, check the network and project URL.',
  },
  SEND_TIMED_OUT: {
    why: 'The server did not acknowledge the message in time.',
    fix: `Check the connection. A private channel silently drops the message unless ${INSERT_POLICY}.`,
  },
  SEND_FAILED: {
    why: 'The server refused the message.',
    fix: 'Check the channel name and payload, then send again.',
  },
  SEND_NOT_ALLOWED: {
    why: 'This user may not write to this channel.',
    fix: `Sign the user in and add ${INSERT_POLICY}.`,
  },
  PAYLOAD_TOO_LARGE: {
    why: 'The message is larger than the server accepts.',
    fix: 'Keep the payload under 256 KB (Free plan) or 3 MB (paid plans): send ids or links, not files or long lists.',
  },
  PRESENCE_FAILED: {
    why: 'The server did not accept the presence update.',
    fix: 'Subscribe to the channel first; on a private channel, add a policy on realtime.messages allowing insert with extension "presence".',
  },
  LOAD_FAILED: {
    why: 'The rows of a table could not be loaded into the collection.',
    fix: 'Check that the table exists and a Row Level Security policy lets this user select its rows, then run Subscribe again. The collection keeps following changes.',
  },
  POINTER_UNAVAILABLE: {
    why: 'There is no browser window to read the pointer from.',
    fix: 'Run "Share cursor" in a browser, or create the plugin with the `window` option (an object dispatching pointermove events).',
  },
  DISPOSED: {
    why: 'The Realtime plugin was shut down.',
    fix: 'Reload the page (or create the plugin again).',
  },
} as const satisfies Record<string, { why: string; fix: string }>

/** A permanent error code of the plugin. */
export type RealtimeErrorCode = keyof typeof CATALOG

/** Every error code, for editors and docs. */
export const ERROR_CODES = Object.keys(CATALOG) as RealtimeErrorCode[]

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
    super(options.message ?? CATALOG[code].why, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.field = options.field ?? null
    this.fix = options.fix ?? CATALOG[code].fix
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
  return CATALOG[code]
}

/** Builds the `INVALID_INPUT` error for a list of issues (the first issue names the field). */
export function invalidInput(issues: ValidationIssue[]): RealtimePluginError {
  const first = issues[0]
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''
  return new RealtimePluginError('INVALID_INPUT', {
    field: first?.field ?? null,
    message: first ? `${first.message}${more}` : CATALOG.INVALID_INPUT.why,
    fix: first?.fix ?? CATALOG.INVALID_INPUT.fix,
    details: { issues },
  })
}

/** Turns anything thrown into a {@link RealtimePluginError}, keeping the original as `cause`. */
export function toPluginError(error: unknown, fallback: RealtimeErrorCode = 'SUBSCRIBE_FAILED'): RealtimePluginError {
  if (isRealtimePluginError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new RealtimePluginError(fallback, { message: `${CATALOG[fallback].why} ${message}`.trim(), cause: error, details: { reason: message } })
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
