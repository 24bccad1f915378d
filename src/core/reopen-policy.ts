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
export interface ReopenPolicy {
  /** Runs `reopen` after the next delay; does nothing while a reopen is already waiting. */
  schedule(reopen: () => void): void
  /** The channel joined: the next close waits the first delay again. */
  joined(): void
  /** Drops a waiting reopen (the channel was left or replaced). */
  cancel(): void
}

/** A {@link ReopenPolicy} whose delay before attempt `n` (1-based) is `delayOf(n)`. */
export function reopenPolicy(delayOf: (attempt: number) => number = defaultReopenAfterMs): ReopenPolicy {
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempts = 0
  return {
    schedule(reopen) {
      if (timer) return
      timer = setTimeout(() => {
        timer = undefined
        reopen()
      }, delayOf(++attempts))
    },
    joined() {
      attempts = 0
    },
    cancel() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}
