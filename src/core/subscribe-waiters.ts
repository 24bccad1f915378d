import { errorFor, type RealtimePluginError } from './errors'
import type { ChannelState } from './types'

interface Waiter {
  resolve: (state: ChannelState) => void
  reject: (error: RealtimePluginError) => void
  /** The first subscribe of this channel: its failure removes the channel. */
  initial: boolean
  timer: ReturnType<typeof setTimeout>
}

/**
 * The Subscribe actions waiting for one channel to be ready (joined, and its database changes
 * confirmed). Each settles exactly once: ready, failed, or timed out.
 */
export class SubscribeWaiters {
  readonly #waiters = new Set<Waiter>()

  /** Whether the first subscribe of the channel is still waiting. */
  hasInitial(): boolean {
    for (const waiter of this.#waiters) if (waiter.initial) return true
    return false
  }

  /**
   * Waits until {@link ready} or {@link fail}; after `timeoutMs` rejects with `SUBSCRIBE_TIMED_OUT`
   * (saying how far the channel got, from `state()`), calling `abandon` first for the first subscribe.
   */
  wait(timeoutMs: number, initial: boolean, state: () => ChannelState, abandon: (error: RealtimePluginError) => void): Promise<ChannelState> {
    return new Promise<ChannelState>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        initial,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter)
          const error = timedOut(state(), timeoutMs)
          if (initial) abandon(error)
          reject(error)
        }, timeoutMs),
      }
      this.#waiters.add(waiter)
    })
  }

  /** The channel is ready: every waiter resolves with `state`. */
  ready(state: ChannelState): void {
    this.#settle((waiter) => waiter.resolve({ ...state }))
  }

  /**
   * Every waiter rejects with `error`. When the first subscribe was among them, `abandon` runs
   * before (the variables show the failure before the action's promise rejects).
   */
  fail(error: RealtimePluginError, abandon?: (error: RealtimePluginError) => void): void {
    if (this.#waiters.size === 0) return
    if (abandon && this.hasInitial()) abandon(error)
    this.#settle((waiter) => waiter.reject(error))
  }

  #settle(settle: (waiter: Waiter) => void): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer)
      settle(waiter)
    }
    this.#waiters.clear()
  }
}

/** Why a Subscribe did not finish in time: the join, or the database confirmation after it. */
function timedOut(state: ChannelState, timeoutMs: number): RealtimePluginError {
  const { name: channel, status, dbReady, error: last } = state
  const options = { field: 'timeoutMs', details: { channel, status, lastError: last } }
  return status === 'SUBSCRIBED' && !dbReady
    ? errorFor('SUBSCRIBE_TIMED_OUT', 'databaseUnconfirmed', { channel, timeoutMs }, options)
    : errorFor('SUBSCRIBE_TIMED_OUT', 'notJoined', { channel, timeoutMs, lastProblem: last?.message ?? null }, options)
}
