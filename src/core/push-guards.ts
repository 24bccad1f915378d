import type { RealtimePluginError } from './errors'
import { emit } from './emit'
import { waitSignal } from './wait-signal'

/**
 * What a push on one channel waits for, and what cuts it short: the next join (a push made
 * during a rejoin), leaving SUBSCRIBED (a push in flight on a lost link is never answered) and a
 * close by the server (pending pushes will never be answered). The registry tells it when each
 * happens.
 */
export class PushGuards {
  readonly #joinedListeners = new Set<() => void>()
  readonly #leftListeners = new Set<() => void>()
  readonly #closedListeners = new Set<(error: RealtimePluginError) => void>()

  /** Resolves at the next join, or rejects with `timedOut()` after `timeoutMs`. */
  nextJoin(timeoutMs: number, timedOut: () => RealtimePluginError): Promise<void> {
    return waitSignal(this.#joinedListeners, Math.max(0, timeoutMs), timedOut)
  }

  /** Settles like `work`, or with `'left'` as soon as the channel leaves SUBSCRIBED; rejects on a close. */
  async untilLeft<T>(work: Promise<T>): Promise<T | 'left'> {
    // NOTE: a promise executor runs at once, so the listener is set before `try`.
    let onLeft!: () => void
    const left = new Promise<'left'>((resolve) => this.#leftListeners.add((onLeft = () => resolve('left'))))
    try {
      return await this.untilClosed(Promise.race([work, left]))
    } finally {
      this.#leftListeners.delete(onLeft)
    }
  }

  /** Settles like `work`, unless the server closes the channel first: then rejects with the reason. */
  async untilClosed<T>(work: Promise<T>): Promise<T> {
    let onClosed!: (error: RealtimePluginError) => void
    const closed = new Promise<never>((_, reject) => this.#closedListeners.add((onClosed = reject)))
    try {
      return await Promise.race([work, closed])
    } finally {
      this.#closedListeners.delete(onClosed)
    }
  }

  /** The channel is SUBSCRIBED: pushes waiting for it go on. */
  joined(): void {
    emit(this.#joinedListeners)
  }

  /** The channel left SUBSCRIBED: pushes in flight stop waiting for their reply. */
  left(): void {
    emit(this.#leftListeners)
    this.#leftListeners.clear()
  }

  /** The server closed the channel: pushes in flight fail with `error`. */
  closed(error: RealtimePluginError): void {
    emit(this.#closedListeners, error)
    this.#closedListeners.clear()
  }

  /** The channel is gone: nothing waits for a join any more, pushes in flight stop waiting. */
  clear(): void {
    this.#joinedListeners.clear()
    this.left()
  }
}
