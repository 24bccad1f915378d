import type pg from 'pg'
import type { DatabaseBroadcast } from '../database-hooks'
import { MAX_REPLAY_LIMIT } from '../replay-request'
import { UNCHANGED_TOAST } from './decode-pgoutput'
import type { ReplicatedChange } from './replication-stream'

/** How long broadcast messages are kept in `realtime.messages` (72 h, as Supabase). */
export const MESSAGE_RETENTION_MS = 72 * 60 * 60 * 1000

function parseTimestamp(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`)
}

function decodeBytea(text: string): Uint8Array {
  return text.startsWith('\\x') ? Uint8Array.from(Buffer.from(text.slice(2), 'hex')) : Uint8Array.from(Buffer.from(text))
}

function parsePayload(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** True for a change of `realtime.messages` (broadcast from the database). */
export function isMessagesChange(change: ReplicatedChange): boolean {
  return change.relation.schema === 'realtime' && change.relation.table === 'messages'
}

/** Turns an INSERT into `realtime.messages` with extension `broadcast` into a broadcast, else null. */
export function toDatabaseBroadcast(change: ReplicatedChange): DatabaseBroadcast | null {
  if (change.type !== 'INSERT' || !change.newTuple) return null
  const row: Record<string, string | null> = {}
  change.relation.columns.forEach((column, index) => {
    const value = change.newTuple?.[index]
    if (value !== undefined && value !== UNCHANGED_TOAST) row[column.name] = value
  })
  if (row.extension !== 'broadcast' || !row.topic || !row.id) return null
  const binary = row.binary_payload !== null && row.binary_payload !== undefined
  return {
    topic: row.topic,
    event: row.event ?? '',
    payload: binary ? decodeBytea(row.binary_payload as string) : parsePayload(row.payload ?? null),
    binary,
    private: row.private === 't',
    id: row.id,
    insertedAt: row.inserted_at ? parseTimestamp(row.inserted_at) : Date.now(),
  }
}

/**
 * The last `limit` (clamped to 1..25) private broadcasts of `topic` inserted at or after `since`
 * (ms epoch) and less than a minute in the future, oldest first, as Supabase Realtime replays them.
 */
export async function replayMessages(pool: pg.Pool, topic: string, since: number, limit: number): Promise<DatabaseBroadcast[]> {
  const clamped = Math.min(MAX_REPLAY_LIMIT, Math.max(1, Math.trunc(Number.isFinite(limit) ? limit : MAX_REPLAY_LIMIT)))
  const { rows } = await pool.query<{
    id: string
    topic: string
    event: string | null
    payload: unknown
    binary_payload: Buffer | null
    private: boolean
    inserted_ms: string
  }>(
    `select id::text, topic, event, payload, binary_payload, private,
            (extract(epoch from inserted_at) * 1000)::bigint::text as inserted_ms
       from realtime.messages
      where topic = $1 and private is true and extension = 'broadcast'
        and inserted_at >= to_timestamp($2::double precision / 1000) at time zone 'UTC'
        and inserted_at < (now() at time zone 'UTC') + interval '1 minute'
      order by inserted_at desc
      limit $3`,
    // NOTE: PostgreSQL's timestamps start in 4713 BC; an earlier `since` means "everything".
    [topic, Number.isFinite(since) ? Math.max(since, -210_866_803_200_000) : 0, clamped],
  )
  return rows.reverse().map((row) => ({
    topic: row.topic,
    event: row.event ?? '',
    payload: row.binary_payload ? Uint8Array.from(row.binary_payload) : row.payload,
    binary: row.binary_payload !== null,
    private: row.private,
    id: row.id,
    insertedAt: Number(row.inserted_ms),
  }))
}

/** Deletes messages older than the retention period; returns how many went. */
export async function deleteOldMessages(pool: pg.Pool, now = Date.now()): Promise<number> {
  const { rowCount } = await pool.query(
    `delete from realtime.messages where inserted_at < to_timestamp($1::double precision / 1000) at time zone 'UTC'`,
    [now - MESSAGE_RETENTION_MS],
  )
  return rowCount ?? 0
}
