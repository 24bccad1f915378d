import type { HostAdapter } from '../core/host-adapter'
import type { TriggerConditions, TriggerId, TriggerPayloads } from '../core/trigger-payloads'
import type { VariableId } from '../core/types'

/**
 * Everything the plugin tells the host, in one place: variable values, batched to at most one
 * `setVariable` per variable and tick, and triggers. The contract it keeps: **a variable already
 * holds an event when its trigger fires** (a workflow started by the trigger reads the
 * variables), so pending variables are flushed before every trigger.
 */
export class HostPublisher<Id extends string = VariableId> {
  readonly #dirty = new Set<Id>()
  #flushScheduled = false

  readonly #host: HostAdapter
  readonly #read: (id: Id) => unknown
  /** @param read The current value of a variable. */
  constructor(host: HostAdapter, read: (id: Id) => unknown) {
    this.#host = host
    this.#read = read
  }

  /** The variable changed: the host gets its value at the end of this tick (or before the next trigger). */
  markDirty(id: Id): void {
    if (!this.#host.setVariable) return
    this.#dirty.add(id)
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    queueMicrotask(() => this.flush())
  }

  /** Runs a trigger, after giving the host every variable changed so far. */
  emit<K extends TriggerId>(triggerId: K, event: TriggerPayloads[K], conditions: TriggerConditions[K]): void {
    if (this.#dirty.size > 0) this.flush()
    try {
      this.#host.emitTrigger(triggerId, event, conditions)
    } catch (error) {
      this.#host.log?.('error', `The host failed to run trigger "${triggerId}"`, { error: String(error) })
    }
  }

  /** Gives the host the value of every changed variable now. */
  flush(): void {
    this.#flushScheduled = false
    const setVariable = this.#host.setVariable as unknown as ((id: Id, value: unknown) => void) | undefined
    if (!setVariable) return
    for (const id of this.#dirty) {
      try {
        setVariable.call(this.#host, id, this.#read(id))
      } catch (error) {
        this.#host.log?.('error', `The host failed to store variable "${id}"`, { error: String(error) })
      }
    }
    this.#dirty.clear()
  }
}
