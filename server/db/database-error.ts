/** Permanent codes of the errors the database layer raises (never rename or reuse one). */
const CATALOG = {
  DATABASE_START_FAILED: {
    why: 'The local PostgreSQL could not be started.',
    fix: 'Check that the port is free (another `npm start` or PostgreSQL may be running) and that the disk is writable, then start again.',
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

/** Code of a {@link DatabaseError}. */
export type DatabaseErrorCode = keyof typeof CATALOG

/** An error of the database layer, with a permanent code and a `fix` a no-code builder can act on. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError'
  constructor(
    readonly code: DatabaseErrorCode,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    const cause = options?.cause instanceof Error ? ` (${options.cause.message})` : ''
    super(`[${code}] ${CATALOG[code].why}${cause} ${CATALOG[code].fix}`, options)
  }

  /** What to do about it. */
  get fix(): string {
    return CATALOG[this.code].fix
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, fix: this.fix, details: this.details }
  }
}
