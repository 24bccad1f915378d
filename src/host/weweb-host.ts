import type { TriggerConditions, TriggerId, TriggerPayloads } from '../core/trigger-payloads'
import type { RealtimeVariables, VariableId } from '../core/types'
import type { HostAdapter } from '../core/host-adapter'

/** The part of WeWeb's runtime library the plugin uses. */
interface WwLib {
  wwPlugins?: Record<string, { publicInstance?: unknown } | undefined>
  wwWorkflow: { executeTrigger(triggerId: string, payload: { event: unknown; conditions: Record<string, unknown> }): unknown }
  wwVariable: { updateValue(variableId: string, value: unknown): unknown }
  wwLog?: { error?(...args: unknown[]): void; warn?(...args: unknown[]): void; info?(...args: unknown[]): void }
}

declare const wwLib: WwLib | undefined

function lib(): WwLib {
  if (typeof wwLib === 'undefined' || !wwLib) throw new Error('wwLib is not available: the WeWeb host adapter only runs inside WeWeb.')
  return wwLib
}

/** Plain JSON copy, so WeWeb never holds (or deep-proxies) the plugin's internal objects. */
function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/**
 * The WeWeb host adapter, the only file that touches `wwLib`: triggers run through
 * `wwWorkflow.executeTrigger('<pluginId>-<triggerId>', { event, conditions })` and variables are
 * written with `wwVariable.updateValue('<pluginId>-<name>', value)`.
 */
export function createWewebHost(pluginId: string): HostAdapter {
  return {
    emitTrigger<K extends TriggerId>(triggerId: K, event: TriggerPayloads[K], conditions: TriggerConditions[K]) {
      void lib().wwWorkflow.executeTrigger(`${pluginId}-${triggerId}`, { event: toPlain(event), conditions: { ...conditions } })
    },
    setVariable<K extends VariableId>(name: K, value: RealtimeVariables[K]) {
      void lib().wwVariable.updateValue(`${pluginId}-${name}`, toPlain(value))
    },
    log(level, message, meta) {
      const logger = typeof wwLib !== 'undefined' ? wwLib?.wwLog : undefined
      const fn = logger?.[level]
      if (fn) fn(`[Realtime] ${message}`, meta ?? {})
      else if (level !== 'info') console.warn(`[Realtime] ${message}`, meta ?? {})
    },
  }
}

/**
 * The Supabase client of WeWeb's Supabase Auth plugin, when it is installed, so Realtime uses the
 * signed-in user's session; `undefined` otherwise.
 */
export function wewebSharedClient(): unknown {
  if (typeof wwLib === 'undefined' || !wwLib) return undefined
  return wwLib.wwPlugins?.['supabaseAuth']?.publicInstance ?? undefined
}
