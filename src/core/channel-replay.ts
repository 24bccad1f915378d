import type { ChannelConfig } from './channel-config'

/** Most messages the server replays on one join. */
export const MAX_REPLAY_MESSAGES = 25
/** Replay starts this long before the last message received (clock skew); copies are dropped by id. */
const REPLAY_MARGIN_MS = 1000

/** What a rejoin's replay request is computed from. */
export interface ReplayFacts {
  private: boolean
  /** How many times the channel joined so far. */
  joins: number
  lastMessageAt: number | null
  /** When the channel left SUBSCRIBED, or `null` while it is joined. */
  downSince: number | null
  joinedAt: number | null
}

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
export function replaySince(facts: ReplayFacts): number | null {
  if (!facts.private || facts.joins === 0) return null
  const from = facts.lastMessageAt ?? facts.downSince ?? facts.joinedAt
  return from === null ? null : Math.max(0, from - REPLAY_MARGIN_MS)
}

/** The join configuration of a channel, with a replay request when `since` is set. */
export function joinConfig(config: ChannelConfig, presenceKey: string, since: number | null): SdkJoinConfig {
  const broadcast: Record<string, unknown> = { self: config.broadcast.self, ack: config.broadcast.ack }
  if (since !== null) broadcast['replay'] = { since, limit: MAX_REPLAY_MESSAGES }
  return { broadcast, presence: { key: presenceKey, enabled: config.presence.enabled }, private: config.private }
}
