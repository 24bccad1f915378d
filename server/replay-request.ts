/** What a join's `config.broadcast.replay` asks for, checked as Supabase Realtime checks it. */
export type ReplayRequest =
  | { kind: 'none' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'replay'; since: number; limit: number }

/** Most messages one replay returns; smaller and larger limits are clamped to 1..25. */
export const MAX_REPLAY_LIMIT = 25
/** `limit` when the join gives none. */
export const DEFAULT_REPLAY_LIMIT = 10
/** Range of a millisecond Unix time the server accepts (years -9999 to 9999). */
const MIN_SINCE = -377_705_116_800_000
const MAX_SINCE = 253_402_300_799_999

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
/** Missing, `null` and `false` take the default, like Elixir's `||`. */
const orDefault = (value: unknown, fallback: number): unknown => (value === undefined || value === null || value === false ? fallback : value)

/**
 * Reads `config.broadcast.replay` (undefined when the key is absent). Rules, in the real server's
 * order: any `replay` key on a public channel is refused; on a private channel a value that is not
 * an object is ignored; `since` (default 0) and `limit` (default 10) must be integers (a string or
 * a fraction is refused), `since` a valid millisecond time; `limit` is clamped to 1..25.
 */
export function parseReplayRequest(replay: unknown, isPrivate: boolean): ReplayRequest {
  if (replay === undefined) return { kind: 'none' }
  if (!isPrivate) return { kind: 'invalid', reason: 'UnableToReplayMessages: Replay is not allowed for public channels' }
  if (!isMap(replay)) return { kind: 'none' }
  const since = orDefault(replay.since, 0)
  const limit = orDefault(replay.limit, DEFAULT_REPLAY_LIMIT)
  if (!Number.isSafeInteger(since) || !Number.isSafeInteger(limit) || (since as number) < MIN_SINCE || (since as number) > MAX_SINCE) {
    return { kind: 'invalid', reason: 'UnableToReplayMessages: Replay params are not valid' }
  }
  return { kind: 'replay', since: since as number, limit: Math.min(MAX_REPLAY_LIMIT, Math.max(1, limit as number)) }
}
