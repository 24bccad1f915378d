import { newMessageId, SeenIds, splitMessageId, withMessageId } from './message-ids'

/** A broadcast received on a channel, once per message id. */
export interface ReceivedBroadcast {
  event: string
  payload: unknown
  /** The message id (the plugin's own, or the database's), or `null` when the sender gave none. */
  id: string | null
  /** `true` when the server replayed it after a rejoin. */
  replayed: boolean
  /** `true` when this instance sent it (its own echo, with `self` on). @default false */
  self?: boolean
}

/** A broadcast as supabase-js delivers it. */
export interface RawBroadcast {
  event?: string
  payload?: unknown
  meta?: { id?: unknown; replayed?: unknown }
}

/** Where a received broadcast goes: the `messages` of the channel, or a unit that owns a reserved event prefix. */
export type InboxDelivery = { to: 'messages'; message: ReceivedBroadcast } | { to: 'reserved'; message: ReceivedBroadcast } | null

/** Own messages awaiting their echo: a message the server drops never comes back, so the set is capped. */
const MAX_AWAITED_ECHOES = 1000

/**
 * Everything about message ids on one channel (docs/architecture.md): the id a sent message
 * carries in its payload, the sender's own echoes, and copies of a message received twice
 * (re-sent after a rejoin, or replayed by the server), of which one is kept.
 */
export class ChannelInbox {
  readonly #seen = new SeenIds()
  readonly #awaited = new SeenIds(MAX_AWAITED_ECHOES)

  readonly #reservedPrefix: string | undefined
  /** @param reservedPrefix Events starting with it are delivered as `reserved` (not shown in `messages`). */
  constructor(reservedPrefix?: string) {
    this.#reservedPrefix = reservedPrefix
  }

  /** A payload to send with a new message id; with `expectEcho`, the echo will be recognised as this instance's own. */
  stamp(payload: Record<string, unknown>, expectEcho: boolean): { id: string; payload: Record<string, unknown> } {
    const id = newMessageId()
    if (expectEcho) this.#awaited.add(id)
    return { id, payload: withMessageId(payload, id) }
  }

  /** The message was not sent after all: its echo is no longer awaited. */
  unstamp(id: string): void {
    this.#awaited.delete(id)
  }

  /** Reads a received broadcast; `null` for a copy of a message already received. */
  receive(raw: RawBroadcast): InboxDelivery {
    const event = String(raw.event ?? '')
    const split = splitMessageId(raw.payload)
    const metaId = raw.meta && typeof raw.meta.id === 'string' ? raw.meta.id : null
    const id = split.id ?? metaId
    // NOTE: a message re-sent after a rejoin, or replayed by the server, arrives twice: keep one.
    if (id !== null && !this.#seen.add(id)) return null
    const message: ReceivedBroadcast = {
      event,
      payload: split.payload,
      id,
      replayed: raw.meta?.replayed === true,
      self: id !== null && this.#awaited.delete(id),
    }
    if (this.#reservedPrefix !== undefined && event.startsWith(this.#reservedPrefix)) return { to: 'reserved', message }
    return { to: 'messages', message }
  }
}
