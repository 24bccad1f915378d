import type { RealtimeChannel } from '@supabase/supabase-js'
import type { ChannelConfig } from './channel-config'
import { ChannelInbox } from './channel-inbox'
import type { ChannelPresenceTracker } from './channel-presence'
import { PushGuards } from './push-guards'
import type { ChannelRegistryOptions } from './registry-types'
import { reopenPolicy, type ReopenPolicy } from './reopen-policy'
import { SubscribeWaiters } from './subscribe-waiters'
import type { ChannelState } from './types'

/** One channel of the registry: its SDK channel and status, and one helper per job. @internal */
export interface RegistryEntry {
  readonly name: string
  /** The latest config subscribed with this key (its `timeoutMs` and `load` may differ from the first). */
  config: ChannelConfig
  readonly key: string
  readonly presence: ChannelPresenceTracker
  readonly inbox: ChannelInbox
  readonly waiters: SubscribeWaiters
  readonly guards: PushGuards
  readonly reopen: ReopenPolicy
  /** The SDK channel (`null` while it is being reopened). */
  channel: RealtimeChannel | null
  state: ChannelState
  closing: boolean
  lastSystemError: string | null
  /** Counts the joins: a change means it left and joined again. */
  joins: number
  /** When the channel left SUBSCRIBED, or `null` while it is joined. */
  downSince: number | null
  /** The postgres filters given to supabase-js, in order (the join payload lists them). */
  joinFilters: Record<string, unknown>[]
}

/** A new entry, JOINING, with the registry's `reservedPrefix` and `reopenAfterMs`. */
export function newRegistryEntry(config: ChannelConfig, key: string, presence: ChannelPresenceTracker, options: ChannelRegistryOptions): RegistryEntry {
  const name = config.name
  return {
    name,
    config,
    key,
    presence,
    inbox: new ChannelInbox(options.reservedPrefix),
    waiters: new SubscribeWaiters(),
    guards: new PushGuards(),
    reopen: reopenPolicy(options.reopenAfterMs),
    channel: null,
    state: {
      name,
      status: 'JOINING',
      error: null,
      private: config.private,
      joinedAt: null,
      dbReady: false,
      bindings: config.postgresChanges.length,
      reopens: 0,
      resumed: false,
      downtimeMs: null,
      lastMessageAt: null,
      stale: false,
    },
    closing: false,
    lastSystemError: null,
    joins: 0,
    downSince: null,
    joinFilters: [],
  }
}

/** Joined, with its database changes confirmed when it has any. */
export function isReady(entry: RegistryEntry): boolean {
  return entry.state.status === 'SUBSCRIBED' && (entry.config.postgresChanges.length === 0 || entry.state.dbReady)
}
