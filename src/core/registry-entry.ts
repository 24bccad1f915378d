import type { RealtimeChannel } from '@supabase/supabase-js'
import type { ChannelConfig } from './channel-config'
import { ChannelInbox } from './channel-inbox'
import { ChannelPresenceTracker, type PresenceLink, type PresenceListener } from './channel-presence'
import type { ReplayFacts } from './channel-replay'
import { PushGuards } from './push-guards'
import { ReopenPolicy } from './reopen-policy'
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

/** What a new entry is made of, beside its config. */
export interface EntryParts {
  key: string
  presenceKey: string
  presenceLink: PresenceLink
  onPresence: PresenceListener
  reservedPrefix: string | null
  reopenAfterMs: ((attempt: number) => number) | undefined
}

/** A new entry, JOINING. */
export function newRegistryEntry(config: ChannelConfig, parts: EntryParts): RegistryEntry {
  const name = config.name
  return {
    name,
    config,
    key: parts.key,
    presence: new ChannelPresenceTracker(name, parts.presenceKey, parts.presenceLink, parts.onPresence),
    inbox: new ChannelInbox(parts.reservedPrefix),
    waiters: new SubscribeWaiters(),
    guards: new PushGuards(),
    reopen: new ReopenPolicy(parts.reopenAfterMs),
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

/** What the replay request of the entry's next join is computed from. */
export function replayFacts(entry: RegistryEntry): ReplayFacts {
  return { private: entry.config.private, joins: entry.joins, lastMessageAt: entry.state.lastMessageAt, downSince: entry.downSince, joinedAt: entry.state.joinedAt }
}
