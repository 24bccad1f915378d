import type { ChannelState } from './types'

/** Listens to the states of one channel (`null` once it is removed). */
export type StateWatcher = (state: ChannelState | null) => void

/** Per channel name, who follows its states directly (the channel's collections): they survive the channel being replaced. */
export class StateWatchers {
  readonly #byName = new Map<string, Set<StateWatcher>>()

  /** Adds a watcher of the channel `name`; returns the remover. */
  add(name: string, watcher: StateWatcher): () => void {
    let set = this.#byName.get(name)
    if (!set) {
      set = new Set()
      this.#byName.set(name, set)
    }
    set.add(watcher)
    return () => {
      set.delete(watcher)
      if (set.size === 0 && this.#byName.get(name) === set) this.#byName.delete(name)
    }
  }

  /** Tells every watcher of `name` its new state (a copy each). */
  tell(name: string, state: ChannelState | null): void {
    const set = this.#byName.get(name)
    if (set) for (const watcher of [...set]) watcher(state && { ...state })
  }

  clear(): void {
    this.#byName.clear()
  }
}
