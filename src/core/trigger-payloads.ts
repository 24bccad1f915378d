import type { RealtimeErrorJSON } from './errors'
import type { ChannelStatus, ConnectionStatus, PostgresChangeType, PresenceMember, Row } from './types'

/** Event of the `broadcast` trigger: one message received on a channel. */
export interface BroadcastTriggerEvent {
  channel: string
  event: string
  payload: unknown
  id: string
  receivedAt: number
  self: boolean
}

/** Event of the `presence` trigger. `sync` carries the whole member list; a member changing its state is one `update`. */
export interface PresenceTriggerEvent {
  channel: string
  event: 'join' | 'leave' | 'update' | 'sync'
  /** The member key (`null` for `sync`). */
  key: string | null
  /** The member now (`null` for `leave` and `sync`). */
  member: PresenceMember | null
  /** The member before (`null` for `join` and `sync`). */
  previous: PresenceMember | null
  /** Everyone online on the channel (only on `sync`, empty otherwise). */
  members: PresenceMember[]
  count: number
}

/** Event of the `postgres-changes` trigger: one row change. */
export interface PostgresChangesTriggerEvent {
  channel: string
  schema: string
  table: string
  event: PostgresChangeType
  new: Row
  old: Row
  commitTimestamp: string
  errors: string[] | null
  id: string
  receivedAt: number
}

/** Event of the `channel-status` trigger. */
export interface ChannelStatusTriggerEvent {
  channel: string
  status: ChannelStatus | 'REMOVED'
  previousStatus: ChannelStatus | null
  error: RealtimeErrorJSON | null
  /** `true` when the channel joined again after a gap: messages and changes may have been missed. */
  resumed: boolean
  /** How long the gap lasted, in milliseconds (`null` unless `resumed`). */
  downtimeMs: number | null
  /** When the last message before the gap arrived (ms epoch), or `null`: refetch what came after. */
  lastMessageAt: number | null
}

/** Event of the `connection-status` trigger. */
export interface ConnectionStatusTriggerEvent {
  status: ConnectionStatus
  previousStatus: ConnectionStatus
  reconnects: number
  latencyMs: number | null
  error: RealtimeErrorJSON | null
}

/** Trigger id → the event a workflow receives. */
export interface TriggerPayloads {
  broadcast: BroadcastTriggerEvent
  presence: PresenceTriggerEvent
  'postgres-changes': PostgresChangesTriggerEvent
  'channel-status': ChannelStatusTriggerEvent
  'connection-status': ConnectionStatusTriggerEvent
}

/** Trigger id → the values its conditions are matched against. */
export interface TriggerConditions {
  broadcast: { channel: string; event: string }
  presence: { channel: string; event: PresenceTriggerEvent['event'] }
  'postgres-changes': { channel: string; table: string; event: PostgresChangeType }
  'channel-status': { channel: string; status: ChannelStatusTriggerEvent['status'] }
  'connection-status': { status: ConnectionStatus }
}

/** A trigger id. */
export type TriggerId = keyof TriggerPayloads

/** Every trigger id, in manifest order. */
export const TRIGGER_IDS = ['broadcast', 'presence', 'postgres-changes', 'channel-status', 'connection-status'] as const satisfies readonly TriggerId[]
