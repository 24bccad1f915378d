import type { RegistryEntry } from './registry-entry'

/** Most messages the server replays on one join. */
export const MAX_REPLAY_MESSAGES = 25
/** Replay starts this long before the last message received (clock skew); copies are dropped by id. */
const REPLAY_MARGIN_MS = 1000

/** The join configuration supabase-js sends (`config` of the `phx_join` payload, without the database filters). */
export interface SdkJoinConfig {
  broadcast: Record<string, unknown>
  presence: Record<string, unknown>
  private: boolean
}

/**
 * From when a private channel that joined before asks the server to replay what it missed
 * (docs/realtime-protocol.md §3.6), or `null` for no replay.
 */
export function replaySince(entry: RegistryEntry): number | null {
  const { state } = entry
  if (!entry.config.private || entry.joins === 0) return null
  const from = state.lastMessageAt ?? entry.downSince ?? state.joinedAt
  return from === null ? null : Math.max(0, from - REPLAY_MARGIN_MS)
}

/** The join configuration of a channel, with a replay request when {@link replaySince} gives one. */
export function joinConfig(entry: RegistryEntry): SdkJoinConfig {
  const { config } = entry
  const since = replaySince(entry)
  const broadcast: Record<string, unknown> = { self: config.broadcast.self, ack: config.broadcast.ack }
  if (since !== null) broadcast['replay'] = { since, limit: MAX_REPLAY_MESSAGES }
  return { broadcast, presence: { key: entry.presence.key, enabled: config.presence.enabled }, private: config.private }
}
