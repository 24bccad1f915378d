/**
 * Typed errors of the local Realtime server. Codes are permanent: never rename or reuse one.
 * Each code carries a `why` and a `fix` written for people who configure the server by hand.
 */
const CATALOG = {
  INVALID_OPTION: {
    why: 'A server option has an invalid value.',
    fix: 'Check the option named in details.option; limits and timeouts must be non-negative numbers.',
  },
  PORT_IN_USE: {
    why: 'The Realtime server could not listen because the port is already used by another program.',
    fix: 'Stop the other program, or choose another port (option `port`, or REALTIME_PORT for `npm run realtime`); port 0 picks a free one.',
  },
  LISTEN_FAILED: {
    why: 'The Realtime server could not start listening.',
    fix: 'Check the `host` and `port` options; the host must be an address of this machine (127.0.0.1 by default).',
  },
} as const satisfies Record<string, { why: string; fix: string }>

/** Permanent code of a {@link RealtimeServerError}. */
export type RealtimeServerErrorCode = keyof typeof CATALOG

/** An error raised while configuring, starting or stopping the local Realtime server. */
export class RealtimeServerError extends Error {
  override readonly name = 'RealtimeServerError'
  constructor(
    readonly code: RealtimeServerErrorCode,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(`[${code}] ${CATALOG[code].why}${details.message ? ` ${String(details.message)}` : ''}`, options)
  }

  /** What to do about it. */
  get fix(): string {
    return CATALOG[this.code].fix
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, fix: this.fix, details: this.details }
  }
}

/** Type guard for {@link RealtimeServerError}. */
export const isRealtimeServerError = (e: unknown): e is RealtimeServerError => e instanceof RealtimeServerError
