/**
 * Per channel, how many components hold it (`useChannel` with `subscribe`): the channel is left
 * when the last one lets go. One per runtime ({@link holdersOf}); only the Vue composables use it.
 */
export class ChannelHolders {
  readonly #counts = new Map<string, number>()

  /** One more component holds the channel `name`. */
  hold(name: string): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1)
  }

  /** A component let go of the channel; returns whether it was the last one holding it. */
  release(name: string): boolean {
    const count = this.#counts.get(name) ?? 0
    if (count > 1) {
      this.#counts.set(name, count - 1)
      return false
    }
    this.#counts.delete(name)
    return true
  }
}

const holders = new WeakMap<object, ChannelHolders>()

/** The holders of one runtime, created on first use (kept beside the runtime, not in it: the WeWeb build never needs them). */
export function holdersOf(runtime: object): ChannelHolders {
  let found = holders.get(runtime)
  if (!found) holders.set(runtime, (found = new ChannelHolders()))
  return found
}
