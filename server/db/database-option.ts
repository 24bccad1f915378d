import type { DatabaseHooks } from '../database-hooks'

/** Where the server's database comes from when it is not handed ready-made hooks. */
export interface DatabaseConnectOptions {
  /**
   * Connection string of an existing PostgreSQL (a superuser, `wal_level=logical`).
   * @default process.env.DATABASE_URL, else an embedded PostgreSQL is started
   */
  url?: string
  /**
   * Port of the embedded PostgreSQL; `0` picks a free one.
   * @default 54322 (as `supabase start`), or a free port when the server itself uses port 0
   */
  port?: number
  /**
   * Create the playground's examples: the `public.todos` table (each signed-in user sees their own rows)
   * and the RLS policies of the private support chat `chat`.
   * @default true for the embedded database, false for an existing one
   */
  seed?: boolean
}

/** The `database` option of the server: hooks, connect options, `false` for none, or omitted for the default. */
export type DatabaseOption = DatabaseHooks | DatabaseConnectOptions | false | undefined

/** True for ready-made database hooks (as opposed to connect options). */
export function isDatabaseHooks(option: DatabaseOption): option is DatabaseHooks {
  return typeof option === 'object' && option !== null && 'subscribePostgresChanges' in option
}
