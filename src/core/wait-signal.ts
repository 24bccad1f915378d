/**
 * Waits for a signal: adds a listener to `listeners` (the owner calls every listener when the
 * awaited thing may have happened) and resolves at the first call for which `done()` holds. After
 * `timeoutMs` it rejects with `timedOut()`, or resolves when no `timedOut` is given. The listener
 * is removed either way.
 */
export function waitSignal(listeners: Set<() => void>, timeoutMs: number, timedOut?: () => Error, done: () => boolean = () => true): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer)
      listeners.delete(check)
      if (error) reject(error)
      else resolve()
    }
    const check = () => {
      if (done()) finish()
    }
    const timer = setTimeout(() => finish(timedOut?.()), timeoutMs)
    listeners.add(check)
  })
}
