/** Calls every listener in `listeners` with `args`; a listener may add or remove listeners meanwhile (each is called once). */
export function emit<A extends unknown[]>(listeners: Iterable<(...args: A) => void>, ...args: A): void {
  for (const listener of [...listeners]) listener(...args)
}
