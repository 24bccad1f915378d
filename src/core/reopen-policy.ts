/** Delays before reopening a channel the server closed, by attempt: 1 s, 2 s, 5 s, then 10 s. */
const REOPEN_STEPS_MS = [1000, 2000, 5000, 10000]

/** The default delay before reopen attempt `attempt` (1-based). */
export function defaultReopenAfterMs(attempt: number): number {
  return REOPEN_STEPS_MS[attempt - 1] ?? 10000
}

/**
 * When to reopen one channel that the server closed: backoff by attempt, at most one reopen
 * waiting at a time, and the count starts again once the channel joins.
 */
export class ReopenPolicy {
  #timer: ReturnType<typeof setTimeout> | undefined
  #attempts = 0

  readonly #delayOf: (attempt: number) => number
  constructor(delayOf: (attempt: number) => number = defaultReopenAfterMs) {
    this.#delayOf = delayOf
  }

  /** Runs `reopen` after the next delay; does nothing while a reopen is already waiting. */
  schedule(reopen: () => void): void {
    if (this.#timer) return
    this.#attempts++
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      reopen()
    }, this.#delayOf(this.#attempts))
  }

  /** The channel joined: the next close waits the first delay again. */
  joined(): void {
    this.#attempts = 0
  }

  /** Drops a waiting reopen (the channel was left or replaced). */
  cancel(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
