import type { TriggerConditions, TriggerId, TriggerPayloads } from './trigger-payloads'
import type { RealtimeVariables, VariableId } from './types'

/**
 * The outside world of the plugin: the no-code host that runs workflows and stores variables.
 * `src/host/weweb-host.ts` adapts WeWeb; `src/host/memory-host.ts` serves tests and the playground.
 */
export interface HostAdapter {
  /** Runs the workflows listening to `triggerId` whose conditions match `conditions`. */
  emitTrigger<K extends TriggerId>(triggerId: K, event: TriggerPayloads[K], conditions: TriggerConditions[K]): void
  /** Receives the new value of a variable (batched: at most once per tick and variable). */
  setVariable?<K extends VariableId>(name: K, value: RealtimeVariables[K]): void
  /** Writes to the host's log. */
  log?(level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>): void
}
