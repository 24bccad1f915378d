import type { RealtimeErrorJSON } from './errors'
import type { LiveMemberState, RemoteCursor } from './live/live-types'

export type { LiveMemberState, RemoteCursor } from './live/live-types'

/** Status of one channel, with the words supabase-js uses plus the plugin's own `JOINING`. */
export type ChannelStatus = 'JOINING' | 'SUBSCRIBED' | 'CHANNEL_ERROR' | 'TIMED_OUT' | 'CLOSED'

/** Status of the socket connection to the Realtime server. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected'

/** Database change event of a binding (`*` listens to all three). */
export type PostgresEvent = '*' | 'INSERT' | 'UPDATE' | 'DELETE'

/** Row event as delivered. */
export type PostgresChangeType = 'INSERT' | 'UPDATE' | 'DELETE'

/** A database row as JSON. */
export type Row = Record<string, unknown>

/** The `connection` variable. */
export interface ConnectionState {
  status: ConnectionStatus
  /** Round-trip time of the last heartbeat, in milliseconds, or `null` before the first one. */
  latencyMs: number | null
  /** The last connection problem, or `null`. */
  lastError: RealtimeErrorJSON | null
  /** How many times the socket reconnected after the first connection. */
  reconnects: number
  /** When the socket last opened (ms epoch), or `null`. */
  connectedAt: number | null
}

/** One entry of the `channels` variable. */
export interface ChannelState {
  name: string
  status: ChannelStatus
  /** Why the channel is not subscribed (or why its database changes failed), or `null`. */
  error: RealtimeErrorJSON | null
  private: boolean
  /** When the channel last joined (ms epoch), or `null`. */
  joinedAt: number | null
  /** `true` once the server confirmed the database change subscription (always `false` without bindings). */
  dbReady: boolean
  /** Number of postgres bindings of the channel. */
  bindings: number
  /** How many times the plugin reopened the channel after the server closed it. */
  reopens: number
  /** `true` once the channel joined again after a gap (lost connection, closed channel). */
  resumed: boolean
  /** How long the last gap lasted, in milliseconds, or `null` before the first rejoin. */
  downtimeMs: number | null
  /**
   * When the last message (broadcast or database change) was received (ms epoch), or `null`; read
   * at each status change, so after a rejoin it is the time of the last message before the gap.
   */
  lastMessageAt: number | null
  /** `true` after a gap on a channel with database changes: `collections` may have missed changes until they are loaded again. */
  stale: boolean
  /** Per table, the loading state of collections whose binding loads rows (`load`); absent otherwise. */
  collections?: Record<string, CollectionStatus>
  /** The send interval of live cursors and state (ms) while this instance shares them here, else `null`. */
  liveIntervalMs?: number | null
}

/** Loading state of one collection, at `channels.<name>.collections.<table>` (bindings with `load`). */
export interface CollectionStatus {
  /** `true` while the current rows are being fetched. */
  loading: boolean
  /** When the rows were last loaded (ms epoch), or `null`. */
  loadedAt: number | null
  /** Why the last load failed, or `null`. */
  error: RealtimeErrorJSON | null
  /** `true` when the table had more matching rows than the load limit. */
  truncated: boolean
}

/** One entry of the `messages` variable. */
export interface ReceivedMessage {
  id: string
  event: string
  payload: unknown
  /** When the message arrived (ms epoch). */
  receivedAt: number
  /** `true` for messages this plugin instance sent. */
  self: boolean
}

/** One member of a channel's presence, deduplicated by key. */
export interface PresenceMember {
  key: string
  /** The metas of every connection using this key, merged (later connections win on conflicts). */
  state: Record<string, unknown>
  /** Every meta as tracked, one per connection. */
  metas: Record<string, unknown>[]
  /** Number of connections (tabs, devices) tracked under this key. */
  connections: number
}

/** This instance's own presence on a channel. */
export interface PresenceSelf {
  key: string
  tracked: boolean
  state: Record<string, unknown> | null
}

/** One entry of the `presence` variable. */
export interface ChannelPresence {
  members: PresenceMember[]
  count: number
  self: PresenceSelf
}

/** One entry of the `changes` variable. */
export interface ReceivedChange {
  id: string
  schema: string
  table: string
  event: PostgresChangeType
  new: Row
  old: Row
  commitTimestamp: string
  errors: string[] | null
  receivedAt: number
}

/** The variables a host binds to, by id. */
export interface RealtimeVariables {
  connection: ConnectionState
  channels: Record<string, ChannelState>
  messages: Record<string, ReceivedMessage[]>
  presence: Record<string, ChannelPresence>
  changes: Record<string, ReceivedChange[]>
  /** Per channel, per table: the live rows. */
  collections: Record<string, Record<string, Row[]>>
  /** Per channel: the other members' pointers (Share cursor), own excluded. */
  cursors: Record<string, RemoteCursor[]>
  /** Per channel: the other members' live state (Set live state), own excluded. */
  liveState: Record<string, LiveMemberState[]>
}

/** A variable id. */
export type VariableId = keyof RealtimeVariables

/** Every variable id, in manifest order. */
export const VARIABLE_IDS = ['connection', 'channels', 'messages', 'presence', 'changes', 'collections', 'cursors', 'liveState'] as const satisfies readonly VariableId[]
