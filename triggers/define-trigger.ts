import type { ConditionSpec, FieldOption } from '../src/core/field-spec'
import type { TriggerConditions, TriggerId, TriggerPayloads } from '../src/core/trigger-payloads'

/**
 * A condition of trigger `K`: its key is one the runtime matches on (`TriggerConditions[K]`), and
 * the values of a select are values the runtime can send for that key.
 */
export type TriggerCondition<K extends TriggerId> = {
  [C in keyof TriggerConditions[K] & string]: ConditionSpec & {
    key: C
    options?: Array<FieldOption & { value: TriggerConditions[K][C] | null }>
  }
}[keyof TriggerConditions[K] & string]

/**
 * One app-level trigger, described once: its conditions, typed against what the runtime matches,
 * and a realistic event, typed against the runtime payload. Only the editor reads it: the runtime
 * needs just the trigger ids (`TRIGGER_IDS`) and the payload types.
 */
export interface TriggerDefinition<K extends TriggerId> {
  id: K
  label: string
  description: string
  conditions: Array<TriggerCondition<K>>
  sampleEvent: TriggerPayloads[K]
}

/** Declares a trigger (identity function that fixes the types). */
export function defineTrigger<K extends TriggerId>(definition: TriggerDefinition<K>): TriggerDefinition<K> {
  return definition
}

/** The usual "Channel" condition. */
export const channelCondition = { key: 'channel', label: 'Channel', type: 'text', placeholder: 'All channels' } as const satisfies ConditionSpec

/** A select condition whose first option, `anyLabel` (value `null`), matches every value. */
export function selectCondition<C extends string, V extends string>(
  key: C,
  label: string,
  anyLabel: string,
  options: Array<[label: string, value: V]>,
): ConditionSpec & { key: C; options: Array<FieldOption & { value: V | null }> } {
  const choices = options.map(([optionLabel, value]) => ({ label: optionLabel, value }))
  return { key, label, type: 'select', placeholder: anyLabel, options: [{ label: anyLabel, value: null }, ...choices] }
}
