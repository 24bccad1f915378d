/**
 * The contract between the Realtime protocol layer (`server/*.ts`) and the database layer
 * (`server/db/`). The protocol layer works without a database (broadcast, presence and auth only);
 * when `startRealtimeServer` starts or connects to PostgreSQL it passes an implementation of
 * `DatabaseHooks` and the protocol layer calls it at the points named below.
 */

/** Verified JWT claims of a socket or channel (`role` and `exp` are always present). */
export interface JwtClaims {
  role: string
  exp: number
  sub?: string
  [claim: string]: unknown
}

/** One `postgres_changes` binding as the client sent it, plus the id echoed in the join reply. */
export interface PostgresBinding {
  id: number
  event: string
  schema: string
  table?: string
  filter?: string
  select?: unknown
  /** Every other key the client sent, echoed as is. */
  [key: string]: unknown
}

/** The `data` object of a `postgres_changes` frame (docs/realtime-protocol.md §5.1). */
export interface PostgresChangeData {
  schema: string
  table: string
  commit_timestamp: string
  type: 'INSERT' | 'UPDATE' | 'DELETE'
  columns: Array<{ name: string; type: string }>
  record?: Record<string, unknown>
  old_record?: Record<string, unknown>
  errors: string[] | null
}

/** A message written by `realtime.send` / `realtime.broadcast_changes`, read from replication. */
export interface DatabaseBroadcast {
  /** Channel name without the `realtime:` prefix. */
  topic: string
  event: string
  /** JSON payload, or raw bytes for `realtime.send_binary`. */
  payload: unknown
  binary: boolean
  private: boolean
  id: string
  insertedAt: number
}

/** What a private channel may do, from the RLS policies on `realtime.messages`. */
export interface ChannelPermissions {
  broadcastRead: boolean
  presenceRead: boolean
}

export interface ChannelAuthContext {
  /** Channel name without the `realtime:` prefix. */
  topic: string
  claims: JwtClaims
  /** The raw token, for `request.jwt.claims` and headers. */
  token: string
  presenceEnabled: boolean
}

/** A live postgres_changes subscription of one channel. */
export interface PostgresSubscription {
  /** Replace the claims (after an `access_token` push); visibility is re-checked from now on. */
  updateClaims(claims: JwtClaims): Promise<void>
  /** Stop delivering; idempotent. */
  close(): void
}

/** One SQL statement with `$n` parameters, run inside {@link DatabaseHooks.runAsCaller}'s transaction. */
export type CallerQuery = (text: string, values?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>>; rowCount: number }>

export interface DatabaseHooks {
  /** Read check at join (and on `access_token`) for a private channel. */
  authorizeRead(ctx: ChannelAuthContext): Promise<ChannelPermissions>
  /** Write check on the first broadcast send or presence track of a private channel. */
  authorizeWrite(ctx: ChannelAuthContext, extension: 'broadcast' | 'presence'): Promise<boolean>
  /**
   * Start delivering changes for the bindings of one channel. `onReady` / `onError` produce the
   * `system` messages of docs/realtime-protocol.md §5.6; `deliver` sends one `postgres_changes` frame with the
   * ids of the bindings this change is visible to.
   */
  subscribePostgresChanges(args: {
    topic: string
    bindings: PostgresBinding[]
    claims: JwtClaims
    deliver(ids: number[], data: PostgresChangeData): void
    onReady(): void
    onError(message: string): void
  }): PostgresSubscription
  /** Last `limit` (1..25) private messages of `topic` inserted at or after `since` (ms epoch). */
  replay(topic: string, since: number, limit: number): Promise<DatabaseBroadcast[]>
  /**
   * Run statements in one transaction as the caller's role with its JWT claims, so RLS applies
   * (the REST endpoint `/rest/v1/`). Committed when `work` resolves; PostgreSQL errors pass through.
   * Optional: without it the REST endpoint answers that no database is connected.
   */
  runAsCaller?<T>(claims: JwtClaims, work: (query: CallerQuery) => Promise<T>): Promise<T>
  /**
   * Run statements in one transaction as the server's own database user, RLS not applied (the
   * local `/auth/v1`, which keeps users, sessions and refresh tokens in the `auth` schema).
   * Optional: without it `/auth/v1` answers that no database is connected.
   */
  runAsAdmin?<T>(work: (query: CallerQuery) => Promise<T>): Promise<T>
  /** Listen to broadcasts written by the database; returns the remover. */
  onBroadcast(listener: (message: DatabaseBroadcast) => void): () => void
  /** A postgres connection string for tests and tools. */
  readonly url: string
  stop(): Promise<void>
}
