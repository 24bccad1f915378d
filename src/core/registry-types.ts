import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js'
import type { RealtimeRestClient } from './realtime-rest-client'
import type { ChannelConfig, PostgresBindingConfig } from './channel-config'
import type { ReceivedBroadcast } from './channel-inbox'
import type { PresenceChange } from './presence-fold'
import type { ChannelPresence, ChannelState, Row } from './types'

/** What the registry (channel-registry.ts) reports to the layer above: the runtime, and nothing else above it. */
export interface RegistryListener {
  /** A channel's state changed; `null` when the channel was removed. */
  onChannelState(name: string, state: ChannelState | null): void
  onBroadcast(name: string, message: ReceivedBroadcast): void
  /** A broadcast whose event starts with the registry's `reservedPrefix` (never shown in `messages`); without this method it goes to {@link onBroadcast}. */
  onReservedBroadcast?(name: string, message: ReceivedBroadcast): void
  /** Presence changed: the new view and, after a server sync, what changed per key. */
  onPresence(name: string, view: ChannelPresence, changes: readonly PresenceChange[], synced: boolean): void
  /** A row change; `companion` changes come from the bindings that only maintain collections. */
  onPostgresChange(name: string, payload: RealtimePostgresChangesPayload<Row>, binding: PostgresBindingConfig, companion: boolean): void
  onLog(level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>): void
}

/** Options of {@link ChannelRegistry}. */
export interface ChannelRegistryOptions {
  client: RealtimeRestClient
  listener: RegistryListener
  /** Presence key used when a channel sets none and no user is signed in. */
  fallbackPresenceKey: string
  /** Delay before reopening a channel the server closed, by attempt (1-based). @default 1 s, 2 s, 5 s, then 10 s */
  reopenAfterMs?: (attempt: number) => number
  /** Broadcast events starting with this go to {@link RegistryListener.onReservedBroadcast}. @default none */
  reservedPrefix?: string
}

/** A read-only view of one subscribed channel: pushes go through the registry. */
export interface ChannelView {
  readonly config: ChannelConfig
  readonly state: ChannelState
  /** The channel's presence, as `presence.<name>` shows it. */
  readonly presence: ChannelPresence
  /** Counts the joins of this channel: a change means it left and joined again. */
  readonly joins: number
}
