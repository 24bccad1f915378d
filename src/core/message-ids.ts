/**
 * Message ids: every broadcast the plugin sends carries an id inside its payload, so the sender
 * recognises its own echo and receivers drop a copy they already have (a message re-sent after a
 * rejoin, or replayed by the server). Messages stored by the database carry their id in `meta.id`.
 */

/** The payload key that carries the plugin's message id. Receivers remove it before showing the payload. */
export const MESSAGE_ID_KEY = '_realtimeMessageId'

/** A new message id, unique across instances. */
export function newMessageId(): string {
  const c = globalThis.crypto
  if (c?.randomUUID) return c.randomUUID()
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`
}

/** The payload to send: the user's payload with the message id added. */
export function withMessageId(payload: Record<string, unknown>, id: string): Record<string, unknown> {
  return { ...payload, [MESSAGE_ID_KEY]: id }
}

/** Splits a received payload into the plugin's message id (if any) and the payload the user sent. */
export function splitMessageId(payload: unknown): { id: string | null; payload: unknown } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { id: null, payload }
  const record = payload as Record<string, unknown>
  const { [MESSAGE_ID_KEY]: id, ...rest } = record
  return typeof id === 'string' ? { id, payload: rest } : { id: null, payload }
}

/**
 * The last `capacity` ids of one kind (received, or sent and awaiting their echo), so that a set
 * of ids never grows without bound. Insertion-ordered: the oldest id is forgotten first.
 */
export class SeenIds {
  readonly #ids = new Set<string>()

  readonly #capacity: number
  constructor(capacity = 2000) {
    this.#capacity = capacity
  }

  /** Records `id`; returns `false` when it was already there (a duplicate). */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false
    this.#ids.add(id)
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.values().next().value
      if (oldest !== undefined) this.#ids.delete(oldest)
    }
    return true
  }

  has(id: string): boolean {
    return this.#ids.has(id)
  }

  /** Forgets `id`; returns whether it was there. */
  delete(id: string): boolean {
    return this.#ids.delete(id)
  }
}
