import { shallowReactive } from 'vue'
import { matchConditions } from '../../src/core/match-conditions'
import type { WwLib, WwSupabaseAuthPlugin } from '../../src/host/weweb-host'

/** A workflow started by a trigger: WeWeb runs it when the trigger id matches and its conditions match. */
export interface WwWorkflow {
  /** Full trigger id, `<pluginId>-<triggerId>`. */
  trigger: string
  /** Condition values set on the trigger; empty ones match everything. */
  conditions?: Record<string, unknown> | null
  run(event: unknown): unknown
}

/** One `executeTrigger` call, as recorded. */
export interface WwTriggerCall {
  trigger: string
  event: unknown
  conditions: Record<string, unknown>
}

/**
 * The project's own stand-in for WeWeb's `wwLib`, the part plugins use: variables
 * (`wwVariable.updateValue/getValue`), workflows started by triggers with conditions
 * (`wwWorkflow.executeTrigger`), mounted plugins (`wwPlugins`) and the log.
 */
export interface WwLibStandIn extends WwLib {
  wwPlugins: { supabaseAuth?: WwSupabaseAuthPlugin } & Record<string, unknown>
  wwVariable: {
    updateValue(variableId: string, value: unknown): void
    getValue(variableId: string): unknown
    /** Every variable by id, reactive per key. */
    readonly values: Record<string, unknown>
  }
  wwWorkflow: {
    executeTrigger(triggerId: string, payload: { event: unknown; conditions: Record<string, unknown> }): Promise<void>
    /** Adds a workflow; returns its remover. */
    add(workflow: WwWorkflow): () => void
    /** Observes every trigger call (before workflows run); returns the remover. */
    observe(observer: (call: WwTriggerCall) => void): () => void
  }
  wwLog: { error(...args: unknown[]): void; warn(...args: unknown[]): void; info(...args: unknown[]): void }
}

/** Creates a `wwLib` stand-in. Workflow failures are logged, as WeWeb shows them in its logs. */
export function createWwLib(): WwLibStandIn {
  const values = shallowReactive<Record<string, unknown>>({})
  const workflows = new Set<WwWorkflow>()
  const observers = new Set<(call: WwTriggerCall) => void>()
  const wwLog = {
    error: (...args: unknown[]) => console.error(...args),
    warn: (...args: unknown[]) => console.warn(...args),
    info: () => undefined,
  }
  return {
    wwPlugins: shallowReactive<WwLibStandIn['wwPlugins']>({}),
    wwVariable: {
      updateValue(variableId, value) {
        values[variableId] = value
      },
      getValue: (variableId) => values[variableId],
      values,
    },
    wwWorkflow: {
      async executeTrigger(trigger, { event, conditions }) {
        for (const observer of observers) observer({ trigger, event, conditions })
        const runs = [...workflows]
          .filter((w) => w.trigger === trigger && matchConditions(w.conditions, conditions))
          .map(async (w) => {
            try {
              await w.run(event)
            } catch (error) {
              wwLog.error(`A workflow on "${trigger}" failed`, error)
            }
          })
        await Promise.all(runs)
      },
      add(workflow) {
        workflows.add(workflow)
        return () => void workflows.delete(workflow)
      },
      observe(observer) {
        observers.add(observer)
        return () => void observers.delete(observer)
      },
    },
    wwLog,
  }
}
