/** Key of a pub/sub topic: public and private channels with the same name never share one. */
export function pubsubKey(topic: string, isPrivate: boolean): string {
  return `${isPrivate ? 'private' : 'public'}|${topic}`
}

/** Subscribers per pub/sub topic. */
export class Pubsub<S> {
  private readonly topics = new Map<string, Set<S>>()

  subscribe(key: string, subscriber: S): void {
    let set = this.topics.get(key)
    if (!set) this.topics.set(key, (set = new Set()))
    set.add(subscriber)
  }

  unsubscribe(key: string, subscriber: S): void {
    const set = this.topics.get(key)
    if (!set) return
    set.delete(subscriber)
    if (set.size === 0) this.topics.delete(key)
  }

  /** Current subscribers of `key` (a live set: copy it before changing subscriptions while iterating). */
  subscribers(key: string): ReadonlySet<S> {
    return this.topics.get(key) ?? EMPTY
  }

  /** Number of topics with at least one subscriber. */
  get size(): number {
    return this.topics.size
  }
}

const EMPTY: ReadonlySet<never> = new Set()
