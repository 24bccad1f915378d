import { matchConditions } from '../core/match-conditions'
import type { TriggerConditions, TriggerId, TriggerPayloads } from '../core/trigger-payloads'
import type { RealtimeVariables, VariableId } from '../core/types'
import type { HostAdapter } from '../core/host-adapter'

/** One trigger emission as the memory host recorded it. */
export interface RecordedTrigger<K extends TriggerId = TriggerId> {
  triggerId: K
  event: TriggerPayloads[K]
  conditions: TriggerConditions[K]
  at: number
}

/** A workflow registered on the memory host. */
export type TriggerHandler<K extends TriggerId> = (event: TriggerPayloads[K], conditions: TriggerConditions[K]) => void

/** Options of {@link createMemoryHost}. */
export interface MemoryHostOptions {
  /** How many emissions to keep in `events` (oldest dropped). @default 1000 */
  record?: number
  /** Keep the latest value of every variable in `variables`. @default false */
  recordVariables?: boolean
}

/** An in-memory host: workflows are plain functions, conditions are matched like an editor would. */
export interface MemoryHost extends HostAdapter {
  /** Registers a workflow on a trigger, with optional conditions; returns the remover. */
  on<K extends TriggerId>(triggerId: K, conditions: Partial<Record<keyof TriggerConditions[K], unknown>> | null, handler: TriggerHandler<K>): () => void
  /** The recorded emissions, oldest first. */
  readonly events: ReadonlyArray<RecordedTrigger>
  /** Recorded emissions of one trigger. */
  eventsOf<K extends TriggerId>(triggerId: K): Array<RecordedTrigger<K>>
  /** Latest variable values (with `recordVariables`). */
  readonly variables: Partial<RealtimeVariables>
  /** Messages the plugin logged. */
  readonly logs: ReadonlyArray<{ level: 'info' | 'warn' | 'error'; message: string; meta?: Record<string, unknown> }>
  clear(): void
}

interface Registration {
  triggerId: TriggerId
  conditions: Record<string, unknown> | null
  handler: (event: never, conditions: never) => void
}

/** Creates an in-memory host for tests and the playground. */
export function createMemoryHost(options: MemoryHostOptions = {}): MemoryHost {
  const limit = options.record ?? 1000
  const events: RecordedTrigger[] = []
  const registrations = new Set<Registration>()
  const variables: Partial<RealtimeVariables> = {}
  const logs: Array<{ level: 'info' | 'warn' | 'error'; message: string; meta?: Record<string, unknown> }> = []

  const host: MemoryHost = {
    emitTrigger(triggerId, event, conditions) {
      if (limit > 0) {
        // NOTE: a sync event's member list is built on first read; read it now so the record is exact.
        if (triggerId === 'presence') void (event as TriggerPayloads['presence']).members
        events.push({ triggerId, event, conditions, at: Date.now() } as RecordedTrigger)
        if (events.length > limit) events.splice(0, events.length - limit)
      }
      for (const reg of registrations) {
        if (reg.triggerId !== triggerId) continue
        if (!matchConditions(reg.conditions, conditions as Record<string, unknown>)) continue
        try {
          ;(reg.handler as TriggerHandler<typeof triggerId>)(event, conditions)
        } catch (error) {
          logs.push({ level: 'error', message: `A workflow on "${triggerId}" failed`, meta: { error: String(error) } })
        }
      }
    },
    on(triggerId, conditions, handler) {
      const reg: Registration = { triggerId, conditions: conditions as Record<string, unknown> | null, handler: handler as Registration['handler'] }
      registrations.add(reg)
      return () => {
        registrations.delete(reg)
      }
    },
    get events() {
      return events
    },
    eventsOf<K extends TriggerId>(triggerId: K) {
      return events.filter((e): e is RecordedTrigger<K> => e.triggerId === triggerId)
    },
    variables,
    get logs() {
      return logs
    },
    log(level, message, meta) {
      logs.push(meta === undefined ? { level, message } : { level, message, meta })
      if (logs.length > 500) logs.splice(0, logs.length - 500)
    },
    clear() {
      events.length = 0
      logs.length = 0
    },
  }
  if (options.recordVariables) {
    host.setVariable = <K extends VariableId>(name: K, value: RealtimeVariables[K]) => {
      variables[name] = value
    }
  }
  return host
}
