import type pg from 'pg'
import type { ChannelAuthContext, ChannelPermissions } from '../database-hooks'
import { setCallerSettings } from './caller-settings'

const INSUFFICIENT_PRIVILEGE = '42501'

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined
}

/**
 * Runs `work` in a transaction that is always rolled back, as the channel's caller
 * ({@link setCallerSettings}, with `realtime.topic`).
 * The role comes from the JWT and is checked against `pg_roles` first; unknown roles get nothing.
 */
async function asChannelRole<T>(
  pool: pg.Pool,
  ctx: ChannelAuthContext,
  beforeRole: (client: pg.PoolClient) => Promise<void>,
  work: (client: pg.PoolClient) => Promise<T>,
  denied: T,
): Promise<T> {
  const role = typeof ctx.claims.role === 'string' ? ctx.claims.role : ''
  const client = await pool.connect()
  try {
    await client.query('begin')
    const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [role])
    if (rowCount === 0) return denied
    await beforeRole(client)
    await setCallerSettings(client, ctx.claims, { 'realtime.topic': ctx.topic })
    return await work(client)
  } finally {
    await client.query('rollback').catch(() => undefined)
    client.release()
  }
}

/**
 * Read check of a private channel: probe rows for `broadcast` (and `presence` when enabled) are
 * inserted into `realtime.messages`, then selected back under RLS as the channel's role.
 */
export async function authorizeRead(pool: pg.Pool, ctx: ChannelAuthContext): Promise<ChannelPermissions> {
  const extensions = ctx.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast']
  let ids: string[] = []
  return asChannelRole(
    pool,
    ctx,
    async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `insert into realtime.messages (topic, extension, private)
         select $1, unnest($2::text[]), true returning id::text`,
        [ctx.topic, extensions],
      )
      ids = rows.map((row) => row.id)
    },
    async (client) => {
      try {
        const { rows } = await client.query<{ extension: string }>(
          'select extension from realtime.messages where id = any($1::uuid[])',
          [ids],
        )
        const readable = new Set(rows.map((row) => row.extension))
        return { broadcastRead: readable.has('broadcast'), presenceRead: readable.has('presence') }
      } catch (error) {
        if (errorCode(error) === INSUFFICIENT_PRIVILEGE) return { broadcastRead: false, presenceRead: false }
        throw error
      }
    },
    { broadcastRead: false, presenceRead: false },
  )
}

/** Write check of a private channel: an insert under RLS, rolled back; a refusal means no write. */
export async function authorizeWrite(
  pool: pg.Pool,
  ctx: ChannelAuthContext,
  extension: 'broadcast' | 'presence',
): Promise<boolean> {
  return asChannelRole(
    pool,
    ctx,
    async () => undefined,
    async (client) => {
      try {
        await client.query('insert into realtime.messages (topic, extension, private) values ($1, $2, true)', [
          ctx.topic,
          extension,
        ])
        return true
      } catch (error) {
        if (errorCode(error) === INSUFFICIENT_PRIVILEGE) return false
        throw error
      }
    },
    false,
  )
}
